using JiebaNet.Segmenter;

namespace ExamNetWatch.Indexer.Segmentation;

/// <summary>
/// jieba segmentation with the exam lexicon added as user words, one segmenter per set of user words (per lexicon
/// version): jieba's shipped dictionary is loaded once and shared, and each segmenter adds its own words on a copy, so a
/// term added to the rules at run time reaches the dictionary and the short-word checks exactly as a shipped one does,
/// whichever version was built first. Thread-safe once built.
/// </summary>
public sealed class ChineseSegmenter
{
    private const int KeptVersions = 4;
    private static readonly Lock Gate = new();
    private static JiebaEngine? s_shippedEngine;
    private static Dictionary<ulong, int>? s_shippedShortWords;
    private static readonly List<(string Key, ChineseSegmenter Segmenter)> s_versions = [];

    private readonly Lazy<JiebaSegmenter> _jieba;
    private readonly JiebaEngine _engine;

    // jieba's words of 2–4 characters packed into 64 bits each: the detector asks about many short candidates per
    // post, and this answers without building or hashing a string for each.
    private readonly PackedWords? _shortWords;

    private ChineseSegmenter(IReadOnlyList<string> userWords, JiebaEngine engine, PackedWords? shortWords)
    {
        // jieba.NET itself is only the reference the faster engine is tested against, loaded when first asked. It has
        // one process-wide dictionary, which learns every version's words it is asked about.
        _jieba = new Lazy<JiebaSegmenter>(() =>
        {
            lock (Gate)
            {
                var jieba = new JiebaSegmenter();
                foreach (var word in userWords)
                {
                    jieba.AddWord(word);
                }

                return jieba;
            }
        });
        _engine = engine;
        _shortWords = shortWords;
    }

    /// <summary>
    /// Returns the segmenter for <paramref name="userWords"/> (the lexicon's terms), loading jieba's dictionaries from
    /// <c>Resources/</c> beside the application the first time; the same words give the same segmenter.
    /// </summary>
    public static ChineseSegmenter Initialise(IEnumerable<string> userWords)
    {
        ArgumentNullException.ThrowIfNull(userWords);
        var added = userWords.Where(w => w.Length > 1).Distinct(StringComparer.Ordinal).ToList();
        var key = string.Join('\n', added);
        lock (Gate)
        {
            foreach (var (versionKey, existing) in s_versions)
            {
                if (versionKey == key)
                {
                    return existing;
                }
            }

            ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "Resources");
            s_shippedEngine ??= JiebaEngine.Load(ConfigManager.ConfigFileBaseDir);
            s_shippedShortWords ??= ReadShortWords(Path.Combine(ConfigManager.ConfigFileBaseDir, "dict.txt"));

            var segmenter = new ChineseSegmenter(added, s_shippedEngine.WithUserWords(added), PackShortWords(s_shippedShortWords, added));
            if (s_versions.Count == KeptVersions)
            {
                s_versions.RemoveAt(0);
            }

            s_versions.Add((key, segmenter));
            return segmenter;
        }
    }

    /// <summary>
    /// Segments <paramref name="text"/>; punctuation and spaces are not tokens. Search mode (for indexing) adds the
    /// sub-words of long words at position increment 0; precise mode (for queries) gives each word once.
    /// </summary>
    public IReadOnlyList<SegmentToken> Tokenize(string text, bool searchMode = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        // jieba's precise cut covers the text exactly, so offsets are running sums. Search mode adds what jieba's own
        // search tokenizer adds — the dictionary 2- and 3-grams inside words longer than 2 and 3 characters — but
        // emitted in start order (longer first) right after their word, which is the order Lucene needs.
        var tokens = new List<SegmentToken>(text.Length / 2);
        var words = new List<(int Start, int Length)>(text.Length);
        _engine.Cut(text, words);
        foreach (var (start, width) in words)
        {
            var span = text.AsSpan(start, width);
            if (HasLetterOrDigit(span))
            {
                var word = text.Substring(start, width);
                tokens.Add(new SegmentToken(word.Trim(), start, start + width, 1));
                if (searchMode && width > 2)
                {
                    AddSubWords(tokens, word, start);
                }
            }
        }

        return tokens;
    }

    /// <summary>Returns whether jieba's dictionary (with the user words) holds <paramref name="word"/>.</summary>
    public bool IsDictionaryWord(string word) => IsDictionaryWord(word.AsSpan());

    /// <summary>Returns whether jieba's dictionary (with the user words) holds <paramref name="word"/>.</summary>
    public bool IsDictionaryWord(ReadOnlySpan<char> word) =>
        word.Length is >= 2 and <= 4 && _shortWords is { } packed
            ? packed.Frequency(Pack(word)) > 0
            : _engine.Contains(word);

    /// <summary>
    /// Returns false when no dictionary word of 2–4 characters starts with <paramref name="first"/> then
    /// <paramref name="second"/> (true may be wrong: a hashed bit table of 256 KB that stays in the cache).
    /// </summary>
    public bool MayStartWord(char first, char second) => _shortWords is not { } packed || packed.MayStart(first, second);

    /// <summary>Returns the frequency jieba's dictionary gives a word of 2–4 characters (0 if it is not a word; user words count 1).</summary>
    public int Frequency(ReadOnlySpan<char> word) =>
        word.Length is >= 2 and <= 4 && _shortWords is { } packed ? packed.Frequency(Pack(word)) : 0;

    private static ulong Pack(ReadOnlySpan<char> word)
    {
        ulong key = 0;
        for (var i = 0; i < word.Length; i++)
        {
            key |= (ulong)word[i] << (16 * i);
        }

        return key;
    }

    /// <summary>The shipped dictionary's words of 2–4 characters with their frequencies (empty without <c>dict.txt</c>).</summary>
    private static Dictionary<ulong, int> ReadShortWords(string dictionaryPath)
    {
        var keys = new Dictionary<ulong, int>(340_000);
        if (!File.Exists(dictionaryPath))
        {
            return keys;
        }

        // dict.txt lines are "word frequency [tag]"; every listed word has a positive frequency.
        foreach (var line in File.ReadLines(dictionaryPath))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var word = line.AsSpan(0, space < 0 ? line.Length : space).Trim();
            if (word.Length is >= 2 and <= 4 && !word.Contains('\0'))
            {
                var rest = space < 0 ? [] : line.AsSpan(space + 1).TrimStart();
                var end = rest.IndexOf(' ');
                _ = int.TryParse(end < 0 ? rest : rest[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var frequency);
                keys[Pack(word)] = Math.Max(1, frequency);
            }
        }

        return keys;
    }

    private static PackedWords? PackShortWords(Dictionary<ulong, int> shipped, IEnumerable<string> userWords)
    {
        if (shipped.Count == 0)
        {
            return null;
        }

        var keys = new Dictionary<ulong, int>(shipped);
        foreach (var word in userWords)
        {
            if (word.Length is >= 2 and <= 4)
            {
                keys.TryAdd(Pack(word), 1);
            }
        }

        return new PackedWords(keys);
    }

    private void AddSubWords(List<SegmentToken> tokens, string word, int start)
    {
        for (var i = 0; i < word.Length - 1; i++)
        {
            if (i < word.Length - 2 && word.Length > 3 && IsDictionaryWord(word.AsSpan(i, 3)))
            {
                tokens.Add(new SegmentToken(word.Substring(i, 3), start + i, start + i + 3, 0));
            }

            if (IsDictionaryWord(word.AsSpan(i, 2)))
            {
                tokens.Add(new SegmentToken(word.Substring(i, 2), start + i, start + i + 2, 0));
            }
        }
    }

    private static bool HasLetterOrDigit(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (char.IsLetterOrDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Segments <paramref name="text"/> into words in precise mode (no overlaps), as jieba.NET's <c>Cut</c> does.</summary>
    public IEnumerable<string> Cut(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<(int Start, int Length)>(text.Length);
        _engine.Cut(text, words);
        return words.Select(w => text.Substring(w.Start, w.Length));
    }

    /// <summary>Adds the words of <paramref name="text"/> (precise mode) as (start, length) pairs to <paramref name="words"/>.</summary>
    public void Cut(ReadOnlySpan<char> text, List<(int Start, int Length)> words) => _engine.Cut(text, words);

    /// <summary>Segments with jieba.NET itself (the reference the faster engine is checked against).</summary>
    internal IEnumerable<string> CutWithJiebaNet(string text) => _jieba.Value.Cut(text);

    /// <summary>Gets jieba.NET itself with this segmenter's user words (the reference for tests).</summary>
    internal JiebaSegmenter Reference => _jieba.Value;

    /// <summary>
    /// The short words as one open-addressing table of (key, frequency) pairs: a probe is one cache line, where a
    /// dictionary costs two (bucket, then entry) — the word checks of detection probe it on every short match.
    /// </summary>
    private sealed class PackedWords
    {
        private const int PairBits = 21;
        private readonly Entry[] _entries;
        private readonly int _mask;
        private readonly ulong[] _pairs = new ulong[(1 << PairBits) / 64];

        public PackedWords(Dictionary<ulong, int> words)
        {
            var capacity = 1;
            while (capacity < words.Count * 3 / 2)
            {
                capacity <<= 1;
            }

            _entries = new Entry[capacity];
            _mask = capacity - 1;
            foreach (var (key, frequency) in words)
            {
                var slot = Slot(key);
                while (_entries[slot].Frequency != 0)
                {
                    slot = (slot + 1) & _mask;
                }

                _entries[slot] = new Entry(key, frequency);
                var pair = PairSlot((char)(key & 0xFFFF), (char)((key >> 16) & 0xFFFF));
                _pairs[pair >> 6] |= 1UL << (pair & 63);
            }
        }

        public bool MayStart(char first, char second)
        {
            var pair = PairSlot(first, second);
            return (_pairs[pair >> 6] & (1UL << (pair & 63))) != 0;
        }

        private static int PairSlot(char first, char second) => (int)(((((uint)first << 16) | second) * 0x9E3779B1u) >> (32 - PairBits));

        public int Frequency(ulong key)
        {
            for (var slot = Slot(key); ; slot = (slot + 1) & _mask)
            {
                var entry = _entries[slot];
                if (entry.Frequency == 0 || entry.Key == key)
                {
                    return entry.Frequency;
                }
            }
        }

        private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 32) & _mask;

        private readonly record struct Entry(ulong Key, int Frequency);
    }
}
