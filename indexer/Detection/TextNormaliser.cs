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
        var value = new StringBuilder(text.Length);
        var starts = new List<int>(text.Length);
        var ends = new List<int>(text.Length);
        var pendingSeparatorAt = -1;

        for (var i = 0; i < text.Length;)
        {
            var rune = Rune.GetRuneAt(text, i);
            var width = rune.Utf16SequenceLength;
            if (IsInvisible(rune))
            {
                i += width;
                continue;
            }

            var folded = CharacterTables.Emoji.TryGetValue(rune.Value, out var word) ? word : Fold(rune);
            if (IsSeparator(folded) && !(pendingSeparatorAt < 0 && IsIdentifierPunctuation(folded, value)))
            {
                pendingSeparatorAt = pendingSeparatorAt < 0 ? i : pendingSeparatorAt;
                i += width;
                continue;
            }

            if (pendingSeparatorAt >= 0)
            {
                // Symbols between two Han characters are an evasion; elsewhere they separate words.
                var previousIsHan = value.Length > 0 && IsHan(value[^1]);
                if (!(previousIsHan && IsHan(folded[0])) && value.Length > 0)
                {
                    Append(value, starts, ends, " ", pendingSeparatorAt, pendingSeparatorAt + 1);
                }

                pendingSeparatorAt = -1;
            }

            if (!(folded.Length == 1 && IsHan(folded[0]) && value.Length > 0 && value[^1] == folded[0] && !ChineseNumerals.IsNumeral(folded[0])))
            {
                Append(value, starts, ends, folded, i, i + width);
            }
            else
            {
                // A repeated Han character (作作弊) counts once, its span growing to cover the repeat.
                ends[^1] = i + width;
            }

            i += width;
        }

        JoinSplitCharacters(value, starts, ends);
        return new NormalisedText(text, value.ToString(), [.. starts], [.. ends]);
    }

    /// <summary>Returns whether <paramref name="c"/> is a CJK unified ideograph (basic block or extension A).</summary>
    public static bool IsHan(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF');

    private static void Append(StringBuilder value, List<int> starts, List<int> ends, string folded, int start, int end)
    {
        foreach (var c in folded)
        {
            value.Append(c);
            starts.Add(start);
            ends.Add(end);
        }
    }

    private static string Fold(Rune rune)
    {
        var text = rune.ToString().Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        if (text.Length == 1 && CharacterTables.LookAlikes.TryGetValue(text[0], out var imitated))
        {
            return imitated.ToString();
        }

        // Traditional → simplified, for Han characters only (ICU, cached per character).
        return Rune.TryGetRuneAt(text, 0, out var first) && text.Length == first.Utf16SequenceLength && IsHanRune(first)
            ? CharacterTables.Simplified(first.Value)
            : text;
    }

    private static bool IsHanRune(Rune rune) =>
        rune.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2EBEF) or (>= 0xF900 and <= 0xFAFF);

    private static void JoinSplitCharacters(StringBuilder value, List<int> starts, List<int> ends)
    {
        for (var i = value.Length - 2; i >= 0; i--)
        {
            if (CharacterTables.Split.TryGetValue(string.Concat(value[i], value[i + 1]), out var whole))
            {
                value.Remove(i, 2).Insert(i, whole);
                ends[i] = ends[i + 1];
                starts.RemoveAt(i + 1);
                ends.RemoveAt(i + 1);
            }
        }
    }

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
    private static bool IsIdentifierPunctuation(string folded, StringBuilder value) =>
        folded is "_" or "-" or "." or "@" && value.Length > 0 && char.IsAsciiLetterOrDigit(value[^1]);

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
}
