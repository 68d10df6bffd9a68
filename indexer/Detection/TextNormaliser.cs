using System.Globalization;
using System.Text;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// One pass that undoes the cheap evasions while remembering where every character came from: compatibility
/// forms folded (full-width → half-width, ① → 1, Ⓠ → q), case folded, zero-width and invisible characters
/// dropped, traditional characters simplified (ICU Hant-Hans), look-alike characters replaced, emoji that stand
/// for words spelled out (🎧 → 耳机), a Han character repeated in a row kept once (作作弊弊 → 作弊), characters
/// written as two components joined (亻乍 → 作), and spaces or symbols inserted between Han characters skipped
/// (作*弊, 答·案, 中 考 答 案). Elsewhere a run of separators becomes one space.
/// </summary>
public static class TextNormaliser
{
    /// <summary>Normalises <paramref name="text"/>.</summary>
    public static NormalisedText Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new Output(text.Length);
        var pendingSeparatorAt = -1;

        for (var i = 0; i < text.Length;)
        {
            // A lone surrogate (hostile or broken input) reads as U+FFFD, one unit wide.
            var unit = text[i];
            if (unit is '(' or '（' && output.Length > 0 && IsHan(output.Last) && PinyinAnnotationEnd(text, i) is var end and > 0)
            {
                // 答(dá)案(àn): a reading in brackets after each character hides the word from a plain match.
                i = end;
                continue;
            }

            var rune = !char.IsSurrogate(unit) ? new Rune(unit) : Rune.TryGetRuneAt(text, i, out var pair) ? pair : Rune.ReplacementChar;
            var width = char.IsHighSurrogate(unit) && rune.Utf16SequenceLength == 2 ? 2 : 1;
            var (folded, kind) = FoldCached(rune);
            if (kind == CharKind.Invisible)
            {
                i += width;
                continue;
            }

            if (kind == CharKind.Separator && !(pendingSeparatorAt < 0 && IsIdentifierPunctuation(folded, output)))
            {
                pendingSeparatorAt = pendingSeparatorAt < 0 ? i : pendingSeparatorAt;
                i += width;
                continue;
            }

            if (pendingSeparatorAt >= 0)
            {
                // Symbols between two Han characters are an evasion; elsewhere they separate words.
                if (output.Length > 0 && !(IsHan(output.Last) && IsHan(folded[0])))
                {
                    output.Append(' ', pendingSeparatorAt, pendingSeparatorAt + 1);
                }

                pendingSeparatorAt = -1;
            }

            if (folded.Length == 1 && output.Length > 0 && output.Last == folded[0] && IsHan(folded[0]) && !ChineseNumerals.IsNumeral(folded[0]))
            {
                // A repeated Han character (作作弊) counts once, its span growing to cover the repeat.
                output.ExtendLast(i + width);
            }
            else
            {
                foreach (var c in folded)
                {
                    output.Append(c, i, i + width);
                }
            }

            i += width;
        }

        output.JoinSplitCharacters();
        return output.ToNormalisedText(text);
    }

    /// <summary>
    /// Returns the index after a pinyin reading in brackets that starts at <paramref name="open"/> — Latin letters (with
    /// or without tone marks or tone digits), at most 8 — or 0 if there is none.
    /// </summary>
    private static int PinyinAnnotationEnd(string text, int open)
    {
        var letters = 0;
        for (var j = open + 1; j < text.Length && j <= open + 9; j++)
        {
            var c = text[j];
            if (c is ')' or '）')
            {
                return letters > 0 ? j + 1 : 0;
            }

            if (!(char.IsAsciiLetter(c) || c is >= '1' and <= '5' || (c is >= '\u00C0' and <= '\u024F' && char.IsLetter(c)) || c is >= '\u0300' and <= '\u036F'))
            {
                return 0;
            }

            letters++;
        }

        return 0;
    }

    /// <summary>Returns whether <paramref name="c"/> is a CJK unified ideograph (basic block or extension A).</summary>
    public static bool IsHan(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF');

    // First components of split characters as a flat table: the join pass looks at every character.
    private static readonly bool[] SplitFirst = BuildSplitFirst();

    private static bool[] BuildSplitFirst()
    {
        var table = new bool[0x10000];
        foreach (var c in CharacterTables.SplitFirsts)
        {
            table[c] = true;
        }

        return table;
    }

    // Folding a character is pure, so the BMP is cached: the hot path is one array read per character.
    // Two flat tables rather than one of tuples, so the hot one stays small; the kind is written before the text, so a
    // reader that sees the text also sees its kind (a race computes the same entry twice at worst).
    private static readonly string?[] FoldText = new string?[0x10000];
    private static readonly CharKind[] FoldKind = new CharKind[0x10000];

    private enum CharKind : byte
    {
        Normal,
        Separator,
        Invisible,
    }

    private static (string Folded, CharKind Kind) FoldCached(Rune rune)
    {
        if (rune.IsBmp && Volatile.Read(ref FoldText[rune.Value]) is { } cached)
        {
            return (cached, FoldKind[rune.Value]);
        }

        var folded = CharacterTables.Emoji.TryGetValue(rune.Value, out var word) ? word : Fold(rune);
        var kind = IsInvisible(rune) ? CharKind.Invisible : IsSeparator(folded) ? CharKind.Separator : CharKind.Normal;
        if (rune.IsBmp)
        {
            FoldKind[rune.Value] = kind;
            Volatile.Write(ref FoldText[rune.Value], folded);
        }

        return (folded, kind);
    }

    private static string Fold(Rune rune)
    {
        var text = rune.ToString().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        if (text.Length == 1 && CharacterTables.LookAlikes.TryGetValue(text[0], out var imitated))
        {
            return imitated.ToString();
        }

        // Latin letters with tone marks or accents (ēr jī, dá àn) read as the plain letter.
        if (text.Length == 1 && text[0] is (>= '\u00C0' and <= '\u024F') or (>= '\u1E00' and <= '\u1EFF') && char.IsLetter(text[0]))
        {
            var plain = string.Concat(text.Normalize(NormalizationForm.FormD).Where(c => c < '\u0300' || c > '\u036F'));
            return plain.Length == 1 && char.IsAsciiLetter(plain[0]) ? plain : text;
        }

        // Traditional → simplified, for Han characters only (ICU, cached per character).
        return Rune.TryGetRuneAt(text, 0, out var first) && text.Length == first.Utf16SequenceLength && IsHanRune(first)
            ? CharacterTables.Simplified(first.Value)
            : text;
    }

    private static bool IsHanRune(Rune rune) =>
        rune.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2EBEF) or (>= 0xF900 and <= 0xFAFF);

    private static bool IsInvisible(Rune rune)
    {
        if (rune.Value is '\n' or '\r' or '\t')
        {
            return false;
        }

        return rune.Value is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFFA0 or (>= 0xFE00 and <= 0xFE0F)
            || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control;
    }

    // "_", "-", "." and "@" inside ids and addresses (wx_2026, a.b@qq.com) are part of the id, not separators.
    private static bool IsIdentifierPunctuation(string folded, Output output) =>
        folded is "_" or "-" or "." or "@" && output.Length > 0 && char.IsAsciiLetterOrDigit(output.Last);

    private static bool IsSeparator(string folded)
    {
        foreach (var rune in folded.EnumerateRunes())
        {
            var separator = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
                UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OtherPunctuation
                    or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                    or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation => true,
                UnicodeCategory.MathSymbol or UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol => true,
                UnicodeCategory.Control => true,
                _ => false,
            };
            if (!separator)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The normalised characters and, for each, the original range it came from.</summary>
    private sealed class Output(int capacity)
    {
        // The characters only live until the string is made, so one buffer per thread serves every call.
        [ThreadStatic]
        private static char[]? t_chars;

        // Every slot below Length is written before it is read, so the buffers need no zeroing.
        private char[] _chars = t_chars is { } buffer && buffer.Length >= capacity + 8 ? buffer : GC.AllocateUninitializedArray<char>(Math.Max(capacity + 8, 256));
        private int[] _starts = GC.AllocateUninitializedArray<int>(capacity + 8);
        private int[] _ends = GC.AllocateUninitializedArray<int>(capacity + 8);

        public int Length { get; private set; }

        public char Last => _chars[Length - 1];

        public void Append(char c, int start, int end)
        {
            if (Length == _chars.Length)
            {
                Array.Resize(ref _chars, Length * 2);
                Array.Resize(ref _starts, Length * 2);
                Array.Resize(ref _ends, Length * 2);
            }

            _chars[Length] = c;
            _starts[Length] = start;
            _ends[Length] = end;
            Length++;
        }

        public void ExtendLast(int end) => _ends[Length - 1] = end;

        /// <summary>Joins characters written as two components (亻乍 → 作).</summary>
        public void JoinSplitCharacters()
        {
            for (var i = Length - 2; i >= 0; i--)
            {
                if (SplitFirst[_chars[i]] && CharacterTables.Split.TryGetValue(new string(_chars, i, 2), out var whole))
                {
                    _chars[i] = whole;
                    _ends[i] = _ends[i + 1];
                    Array.Copy(_chars, i + 2, _chars, i + 1, Length - i - 2);
                    Array.Copy(_starts, i + 2, _starts, i + 1, Length - i - 2);
                    Array.Copy(_ends, i + 2, _ends, i + 1, Length - i - 2);
                    Length--;
                }
            }
        }

        public NormalisedText ToNormalisedText(string original)
        {
            var value = new string(_chars, 0, Length);
            t_chars = _chars;
            return new(original, value, _starts, _ends);
        }
    }
}
