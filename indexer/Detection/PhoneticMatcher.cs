using System.Text;
using ExamNetWatch.Indexer.Text;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Finds terms written in pinyin (zuobiqi, zhong kao da an), with homophones (作币器, 中考达案) or with initials mixed
/// with characters (zb器), by matching in a toneless-pinyin space built with ICU <c>Han-Latin; Latin-ASCII</c>.
/// Only terms of three or more characters take part: two-syllable keys collide with ordinary words (替考/体考, 包过/包裹).
/// A Latin part must be a whole word, so pinyin inside an English word does not match.
/// </summary>
public sealed class PhoneticMatcher
{
    private const int MinimumSyllables = 3;
    private const char FirstSyllable = '\uE000';
    private static readonly HashSet<string> ContactWords = new(StringComparer.Ordinal) { "qq", "vx", "wx", "wechat", "weixin", "tel", "qun" };
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ContactWordLookup = ContactWords.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly Dictionary<string, char> SyllableIds = new(StringComparer.Ordinal);
    private static readonly char[] SyllableOf = new char[0x10000];

    private readonly AhoCorasick<LexiconEntry[]> _full;
    private readonly AhoCorasick<LexiconEntry[]> _initials;
    private readonly AhoCorasick<LexiconEntry[]> _sounds;

    public PhoneticMatcher(IEnumerable<LexiconEntry> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var usable = IcuTransliterator.IsAvailable
            ? terms.Where(t => t.Term.Length >= MinimumSyllables && t.Term.All(TextNormaliser.IsHan)).ToList()
            : [];
        // Several terms can share a key (作弊设备 and 作弊手表 are both "zbsb"): keep them all, strongest first.
        _full = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(Syllable))));
        _initials = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(c => Syllable(c)[..1]))));
        _sounds = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(SoundOf))));
    }

    /// <summary>A term found phonetically: its range in the normalised text and what the text said.</summary>
    public readonly record struct Hit(int Start, int End, LexiconEntry Entry, bool Initials);

    /// <summary>Finds phonetic occurrences of the terms in normalised text; exact occurrences are left to the plain matcher.</summary>
    public IEnumerable<Hit> Find(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        if (!IcuTransliterator.IsAvailable || normalised.AsSpan().IndexOfAnyInRange('\u4E00', '\u9FFF') < 0 && normalised.AsSpan().IndexOfAnyInRange('a', 'z') < 0)
        {
            return [];
        }

        // Sound-alikes among Han characters: one symbol per character (its syllable), so spans map one to one.
        var sounds = string.Create(normalised.Length, normalised, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = TextNormaliser.IsHan(text[i]) ? SoundOf(text[i]) : '\0';
            }
        });
        var hits = new List<Hit>();
        foreach (var (start, end, _, entries) in _sounds.FindAll(sounds))
        {
            var found = normalised[start..end];
            if (!entries.Any(e => e.Term == found))
            {
                hits.Add(new Hit(start, end, entries[0], Initials: false));
            }
        }

        // Pinyin and initials only where a Latin word could be one (not contact words, not ids with digits).
        if (HasLatinWord(normalised))
        {
            hits.AddRange(Matches(Space.Build(normalised, initialsOnly: false), _full, normalised, requireLatin: true, initials: false));
            hits.AddRange(Matches(Space.Build(normalised, initialsOnly: true), _initials, normalised, requireLatin: true, initials: true));
        }

        return hits;
    }

    private static bool HasLatinWord(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i]) || (i > 0 && IsWordChar(text[i - 1])))
            {
                continue;
            }

            var end = i;
            while (end < text.Length && char.IsAsciiLetter(text[end]))
            {
                end++;
            }

            if ((end == text.Length || !IsWordChar(text[end])) && end - i >= 2 && !ContactWordLookup.Contains(text.AsSpan(i, end - i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The syllable of a Han character as one private-use symbol (cached per character).</summary>
    private static char SoundOf(char han)
    {
        var id = SyllableOf[han];
        if (id != '\0')
        {
            return id;
        }

        var syllable = Syllable(han);
        lock (SyllableIds)
        {
            if (!SyllableIds.TryGetValue(syllable, out id))
            {
                id = (char)(FirstSyllable + SyllableIds.Count);
                SyllableIds[syllable] = id;
            }
        }

        SyllableOf[han] = id;
        return id;
    }

    private static IEnumerable<KeyValuePair<string, LexiconEntry[]>> Keyed(IEnumerable<LexiconEntry> terms, Func<LexiconEntry, string> key) =>
        terms.GroupBy(key, StringComparer.Ordinal).Select(g => KeyValuePair.Create(g.Key, g.OrderByDescending(t => t.Weight).ToArray()));

    private static IEnumerable<Hit> Matches(Space space, AhoCorasick<LexiconEntry[]> matcher, string normalised, bool requireLatin, bool initials)
    {
        foreach (var (start, end, _, entries) in matcher.FindAll(space.Text))
        {
            if (!space.IsStart(start) || !space.IsEnd(end))
            {
                continue;
            }

            var (from, to) = (space.Origin[start], space.Origin[end - 1] + 1);
            var hasLatin = normalised.AsSpan(from, to - from).ContainsAnyInRange('a', 'z');
            if (requireLatin && !hasLatin)
            {
                continue;
            }

            // With initials only Latin letters abbreviate: a Han character in the hit must be the term's own (zb器 for 作弊器).
            var entry = entries.FirstOrDefault(e =>
                !normalised.AsSpan(from, to - from).SequenceEqual(e.Term)
                && (!initials || Enumerable.Range(start, end - start).All(j => !TextNormaliser.IsHan(normalised[space.Origin[j]]) || normalised[space.Origin[j]] == e.Term[j - start])));
            if (entry is not null)
            {
                yield return new Hit(from, to, entry, initials);
            }
        }
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@';

    private static string Syllable(char han)
    {
        var latin = IcuTransliterator.HanToPinyin.Transliterate(han);
        var letters = string.Concat(latin.Where(char.IsAsciiLetter)).ToLowerInvariant();
        return letters.Length == 0 ? "#" : letters;
    }

    /// <summary>The text spelled in pinyin (or initials), with where each letter came from and where units begin and end.</summary>
    private sealed class Space
    {
        private readonly List<bool> _unitStart = [];
        private readonly List<bool> _unitEnd = [];

        public string Text { get; private set; } = string.Empty;

        public List<int> Origin { get; } = [];

        public bool IsStart(int index) => _unitStart[index];

        public bool IsEnd(int end) => _unitEnd[end - 1];

        public static Space Build(string normalised, bool initialsOnly)
        {
            var space = new Space();
            var text = new StringBuilder(normalised.Length * 3);
            for (var k = 0; k < normalised.Length; k++)
            {
                var c = normalised[k];
                if (TextNormaliser.IsHan(c))
                {
                    var syllable = Syllable(c);
                    space.Add(text, initialsOnly ? syllable[..1] : syllable, k, startsUnit: true, endsUnit: true);
                }
                else if (char.IsAsciiLetter(c))
                {
                    // A Latin word is one unit: it may only be matched whole, and not when it is part of an id (zbq2026).
                    var startsWord = k == 0 || !IsWordChar(normalised[k - 1]);
                    var endsWord = k + 1 == normalised.Length || !IsWordChar(normalised[k + 1]);
                    space.Add(text, c.ToString(), k, startsWord, endsWord);
                }
                else if (c != ' ')
                {
                    space.Add(text, "#", k, startsUnit: true, endsUnit: true);
                }
            }

            space.Text = text.ToString();
            return space;
        }

        private void Add(StringBuilder text, string letters, int origin, bool startsUnit, bool endsUnit)
        {
            for (var i = 0; i < letters.Length; i++)
            {
                text.Append(letters[i]);
                Origin.Add(origin);
                _unitStart.Add(startsUnit && i == 0);
                _unitEnd.Add(endsUnit && i == letters.Length - 1);
            }
        }
    }
}
