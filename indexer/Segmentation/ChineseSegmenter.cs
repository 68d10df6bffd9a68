using JiebaNet.Segmenter;

namespace ExamNetWatch.Indexer.Segmentation;

/// <summary>
/// jieba.NET segmentation with the exam lexicon added as a user dictionary. jieba's dictionary is process-wide
/// and its loading is not thread-safe, so it is initialised exactly once, under a lock, before first use.
/// </summary>
public sealed class ChineseSegmenter
{
    private static readonly Lock Gate = new();
    private static ChineseSegmenter? s_instance;

    // jieba's words of 2–4 characters packed into 64 bits each: the detector asks about many short candidates per
    // post, and this answers without building or hashing a string for each.
    private static HashSet<ulong>? s_shortWords;

    private readonly JiebaSegmenter _jieba;
    private readonly JiebaEngine _engine;

    private ChineseSegmenter(JiebaSegmenter jieba, JiebaEngine engine)
    {
        _jieba = jieba;
        _engine = engine;
    }

    /// <summary>
    /// Returns the process-wide segmenter, loading jieba's dictionaries from <c>Resources/</c> beside the
    /// application and adding <paramref name="userWords"/> the first time it is called.
    /// </summary>
    public static ChineseSegmenter Initialise(IEnumerable<string> userWords)
    {
        ArgumentNullException.ThrowIfNull(userWords);
        lock (Gate)
        {
            if (s_instance is not null)
            {
                return s_instance;
            }

            ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "Resources");
            var jieba = new JiebaSegmenter();
            var added = userWords.Where(w => w.Length > 1).Distinct(StringComparer.Ordinal).ToList();
            foreach (var word in added)
            {
                jieba.AddWord(word);
            }

            s_shortWords = PackShortWords(Path.Combine(ConfigManager.ConfigFileBaseDir, "dict.txt"), added);

            s_instance = new ChineseSegmenter(jieba, JiebaEngine.Load(ConfigManager.ConfigFileBaseDir, added));
            return s_instance;
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
    public static bool IsDictionaryWord(string word) => IsDictionaryWord(word.AsSpan());

    /// <summary>Returns whether jieba's dictionary (with the user words) holds <paramref name="word"/>.</summary>
    public static bool IsDictionaryWord(ReadOnlySpan<char> word) =>
        word.Length is >= 2 and <= 4 && s_shortWords is { } packed
            ? packed.Contains(Pack(word))
            : WordDictionary.Instance.ContainsWord(word.ToString());

    private static ulong Pack(ReadOnlySpan<char> word)
    {
        ulong key = 0;
        for (var i = 0; i < word.Length; i++)
        {
            key |= (ulong)word[i] << (16 * i);
        }

        return key;
    }

    private static HashSet<ulong>? PackShortWords(string dictionaryPath, IEnumerable<string> userWords)
    {
        if (!File.Exists(dictionaryPath))
        {
            return null;
        }

        // dict.txt lines are "word frequency [tag]"; every listed word has a positive frequency.
        var keys = new List<ulong>(340_000);
        foreach (var line in File.ReadLines(dictionaryPath))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var word = line.AsSpan(0, space < 0 ? line.Length : space).Trim();
            if (word.Length is >= 2 and <= 4 && !word.Contains('\0'))
            {
                keys.Add(Pack(word));
            }
        }

        foreach (var word in userWords)
        {
            if (word.Length is >= 2 and <= 4)
            {
                keys.Add(Pack(word));
            }
        }

        return [.. keys];
    }

    private static void AddSubWords(List<SegmentToken> tokens, string word, int start)
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
    internal IEnumerable<string> CutWithJiebaNet(string text) => _jieba.Cut(text);
}
