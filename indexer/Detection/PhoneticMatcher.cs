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
    private static readonly string?[] SyllableText = new string?[0x10000];
    private static readonly string?[] InitialText = new string?[0x10000];

    private readonly AhoCorasick<LexiconEntry[]> _full;
    private readonly AhoCorasick<LexiconEntry[]> _initials;
    private readonly AhoCorasick<LexiconEntry[]> _sounds;

    public PhoneticMatcher(IEnumerable<LexiconEntry> terms)
        : this(terms, MinimumSyllables)
    {
    }

    /// <summary>Builds the matcher over the all-Han terms of at least <paramref name="minimumSyllables"/> characters.</summary>
    public PhoneticMatcher(IEnumerable<LexiconEntry> terms, int minimumSyllables)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var usable = IcuTransliterator.IsAvailable
            ? terms.Where(t => t.Term.Length >= minimumSyllables && t.Term.All(TextNormaliser.IsHan)).ToList()
            : [];
        // Several terms can share a key (作弊设备 and 作弊手表 are both "zbsb"): keep them all, strongest first.
        _full = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(Syllable))));
        _initials = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(Initial))));
        _sounds = new AhoCorasick<LexiconEntry[]>(Keyed(usable, t => string.Concat(t.Term.Select(SoundOf))));
    }

    /// <summary>
    /// Adds the phonetic occurrences of the terms in <paramref name="normalised"/> to <paramref name="into"/>, each as the
    /// term it stands for (pattern = the term); exact occurrences are left to the plain matcher.
    /// </summary>
    public void Find(string normalised, List<AhoCorasick<LexiconEntry>.Match> into)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        ArgumentNullException.ThrowIfNull(into);
        if (!IcuTransliterator.IsAvailable || normalised.AsSpan().IndexOfAnyInRange('\u4E00', '\u9FFF') < 0 && normalised.AsSpan().IndexOfAnyInRange('a', 'z') < 0)
        {
            return;
        }

        // Sound-alikes among Han characters: one symbol per character (its syllable), so spans map one to one.
        var length = normalised.Length;
        var rented = length <= 256 ? null : System.Buffers.ArrayPool<char>.Shared.Rent(length);
        var sounds = rented is null ? stackalloc char[length] : rented.AsSpan(0, length);
        for (var i = 0; i < length; i++)
        {
            sounds[i] = TextNormaliser.IsHan(normalised[i]) ? SoundOf(normalised[i]) : '\0';
        }

        var hits = new List<AhoCorasick<LexiconEntry[]>.Match>();
        _sounds.Collect(sounds, hits);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }

        foreach (var (start, end, _, entries) in hits)
        {
            if (!IsAnyTerm(normalised.AsSpan(start, end - start), entries))
            {
                into.Add(new AhoCorasick<LexiconEntry>.Match(start, end, entries[0].Term, entries[0]));
            }
        }

        // Pinyin and initials only where a Latin word could be one (not contact words, not ids with digits).
        if (HasLatinWord(normalised))
        {
            Matches(Space.Build(normalised, initialsOnly: false), _full, normalised, initials: false, into);
            Matches(Space.Build(normalised, initialsOnly: true), _initials, normalised, initials: true, into);
        }
    }

    /// <summary>
    /// Adds only the occurrences written (at least in part) in full pinyin — da案, kao yan, ēr jī — to
    /// <paramref name="into"/>: no sound-alikes and no initials, which two-syllable words would collide with all the time.
    /// </summary>
    public void FindPinyin(string normalised, List<AhoCorasick<LexiconEntry>.Match> into)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        ArgumentNullException.ThrowIfNull(into);
        if (IcuTransliterator.IsAvailable && HasLatinWord(normalised))
        {
            Matches(Space.Build(normalised, initialsOnly: false), _full, normalised, initials: false, into);
        }
    }

    private static bool IsAnyTerm(ReadOnlySpan<char> found, LexiconEntry[] entries)
    {
        foreach (var entry in entries)
        {
            if (found.SequenceEqual(entry.Term))
            {
                return true;
            }
        }

        return false;
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

    private static void Matches(Space space, AhoCorasick<LexiconEntry[]> matcher, string normalised, bool initials, List<AhoCorasick<LexiconEntry>.Match> into)
    {
        var found = new List<AhoCorasick<LexiconEntry[]>.Match>();
        matcher.Collect(space.Text, found);
        foreach (var (start, end, _, entries) in found)
        {
            if (!space.IsStart(start) || !space.IsEnd(end))
            {
                continue;
            }

            // Only a hit with a Latin letter is pinyin; all-Han sound-alikes are the sounds matcher's.
            var (from, to) = (space.Origin(start), space.Origin(end - 1) + 1);
            if (!normalised.AsSpan(from, to - from).ContainsAnyInRange('a', 'z'))
            {
                continue;
            }

            // With initials only Latin letters abbreviate: a Han character in the hit must be the term's own (zb器 for 作弊器).
            foreach (var entry in entries)
            {
                if (!normalised.AsSpan(from, to - from).SequenceEqual(entry.Term) && (!initials || KeepsOwnHan(space, normalised, start, end, entry.Term)))
                {
                    into.Add(new AhoCorasick<LexiconEntry>.Match(from, to, entry.Term, entry));
                    break;
                }
            }
        }
    }

    private static bool KeepsOwnHan(Space space, string normalised, int start, int end, string term)
    {
        for (var j = start; j < end; j++)
        {
            var c = normalised[space.Origin(j)];
            if (TextNormaliser.IsHan(c) && c != term[j - start])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@';

    /// <summary>The toneless pinyin of a Han character (ICU, cached per character; a benign race at worst computes it twice).</summary>
    private static string Syllable(char han)
    {
        if (SyllableText[han] is { } cached)
        {
            return cached;
        }

        var latin = IcuTransliterator.HanToPinyin.Transliterate(han);
        var letters = string.Concat(latin.Where(char.IsAsciiLetter)).ToLowerInvariant();
        var syllable = letters.Length == 0 ? "#" : letters;
        SyllableText[han] = syllable;
        return syllable;
    }

    private static string Initial(char han)
    {
        if (InitialText[han] is { } cached)
        {
            return cached;
        }

        var initial = Syllable(han)[..1];
        InitialText[han] = initial;
        return initial;
    }

    /// <summary>The text spelled in pinyin (or initials), with where each letter came from and where units begin and end.</summary>
    private sealed class Space
    {
        private const int LongestSyllable = 6;

        private char[] _text = [];
        private int[] _origin = [];
        private bool[] _unitStart = [];
        private bool[] _unitEnd = [];

        public int Length { get; private set; }

        public ReadOnlySpan<char> Text => _text.AsSpan(0, Length);

        public int Origin(int index) => _origin[index];

        public bool IsStart(int index) => _unitStart[index];

        public bool IsEnd(int end) => _unitEnd[end - 1];

        public static Space Build(string normalised, bool initialsOnly)
        {
            var capacity = normalised.Length * (initialsOnly ? 1 : LongestSyllable);
            var space = new Space
            {
                _text = GC.AllocateUninitializedArray<char>(capacity),
                _origin = GC.AllocateUninitializedArray<int>(capacity),
                _unitStart = GC.AllocateUninitializedArray<bool>(capacity),
                _unitEnd = GC.AllocateUninitializedArray<bool>(capacity),
            };
            for (var k = 0; k < normalised.Length; k++)
            {
                var c = normalised[k];
                if (TextNormaliser.IsHan(c))
                {
                    space.Add(initialsOnly ? Initial(c) : Syllable(c), k, startsUnit: true, endsUnit: true);
                }
                else if (char.IsAsciiLetter(c))
                {
                    // A Latin word is one unit: it may only be matched whole, and not when it is part of an id (zbq2026).
                    var startsWord = k == 0 || !IsWordChar(normalised[k - 1]);
                    var endsWord = k + 1 == normalised.Length || !IsWordChar(normalised[k + 1]);
                    space.Add(new ReadOnlySpan<char>(in c), k, startsWord, endsWord);
                }
                else if (c != ' ')
                {
                    space.Add("#", k, startsUnit: true, endsUnit: true);
                }
            }

            return space;
        }

        private void Add(ReadOnlySpan<char> letters, int origin, bool startsUnit, bool endsUnit)
        {
            for (var i = 0; i < letters.Length; i++)
            {
                _text[Length] = letters[i];
                _origin[Length] = origin;
                _unitStart[Length] = startsUnit && i == 0;
                _unitEnd[Length] = endsUnit && i == letters.Length - 1;
                Length++;
            }
        }
    }
}
