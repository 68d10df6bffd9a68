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

    private readonly JiebaSegmenter _jieba;

    private ChineseSegmenter(JiebaSegmenter jieba) => _jieba = jieba;

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
            foreach (var word in userWords.Where(w => w.Length > 1).Distinct(StringComparer.Ordinal))
            {
                jieba.AddWord(word);
            }

            s_instance = new ChineseSegmenter(jieba);
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

        var raw = new List<JiebaNet.Segmenter.Token>();
        foreach (var token in _jieba.Tokenize(text, searchMode ? TokenizerMode.Search : TokenizerMode.Default))
        {
            if (HasLetterOrDigit(token.Word))
            {
                raw.Add(token);
            }
        }

        // By start, longer first, so sub-words follow the word they overlap.
        raw.Sort(static (a, b) => a.StartIndex != b.StartIndex ? a.StartIndex.CompareTo(b.StartIndex) : (b.EndIndex - b.StartIndex).CompareTo(a.EndIndex - a.StartIndex));

        var tokens = new List<SegmentToken>(raw.Count);
        var coveredUntil = 0;
        foreach (var token in raw)
        {
            var increment = tokens.Count > 0 && token.StartIndex < coveredUntil ? 0 : 1;
            tokens.Add(new SegmentToken(token.Word.Trim(), token.StartIndex, token.EndIndex, increment));
            coveredUntil = Math.Max(coveredUntil, token.EndIndex);
        }

        return tokens;
    }

    /// <summary>Returns whether jieba's dictionary (with the user words) holds <paramref name="word"/>.</summary>
    public static bool IsDictionaryWord(string word) => WordDictionary.Instance.ContainsWord(word);

    private static bool HasLetterOrDigit(string word)
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

    /// <summary>Segments <paramref name="text"/> into words in precise mode (no overlaps).</summary>
    public IEnumerable<string> Cut(string text) => _jieba.Cut(text);
}
