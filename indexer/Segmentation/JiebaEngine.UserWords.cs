namespace ExamNetWatch.Indexer.Segmentation;

/// <summary>User words (a lexicon version's terms) added to a copy of the engine as jieba adds them.</summary>
internal sealed partial class JiebaEngine
{
    /// <summary>
    /// Returns a copy of this engine with <paramref name="userWords"/> added one after the other as jieba adds a user
    /// word without a frequency (<c>AddWord(word)</c>): each gets the frequency jieba suggests from the words it is cut
    /// into, at least its own, and the total grows by it. This engine is left as it is, so every lexicon version gets
    /// its own words on the same shipped dictionary, in whatever order versions are built.
    /// </summary>
    public JiebaEngine WithUserWords(IEnumerable<string> userWords)
    {
        var frequency = new Dictionary<string, int>(_words, StringComparer.Ordinal);
        var prefixes = new HashSet<string>(_prefixSet, StringComparer.Ordinal);
        var engine = new JiebaEngine(frequency, prefixes, _total, _transition, _emission);
        foreach (var word in userWords)
        {
            if (word.Length == 0)
            {
                continue;
            }

            var freq = engine.SuggestFrequency(word);
            var total = engine._total - frequency.GetValueOrDefault(word) + freq;
            Add(frequency, prefixes, word, freq);
            engine = new JiebaEngine(frequency, prefixes, total, _transition, _emission);
        }

        return engine;
    }

    private static void Add(Dictionary<string, int> frequency, HashSet<string> prefixes, string word, int freq)
    {
        frequency[word] = freq;
        for (var length = 1; length <= word.Length; length++)
        {
            prefixes.Add(word[..length]);
        }
    }

    /// <summary>Returns whether the dictionary holds <paramref name="word"/> with a positive frequency.</summary>
    public bool Contains(ReadOnlySpan<char> word) => _frequency.ContainsKey(word);

    /// <summary>jieba's suggested frequency of a new word: the product of its pieces' shares (precise cut, no HMM) times the total, plus one, and at least its own.</summary>
    private int SuggestFrequency(string word)
    {
        var pieces = new List<(int Start, int Length)>(word.Length);
        CutWithoutHmm(word, pieces);
        var share = 1.0;
        foreach (var (start, length) in pieces)
        {
            share *= FrequencyOrOne(word.AsSpan(start, length)) / _total;
        }

        return Math.Max((int)(share * _total) + 1, FrequencyOrOne(word));
    }

    private int FrequencyOrOne(ReadOnlySpan<char> word) => _frequency.TryGetValue(word, out var freq) ? freq : 1;

    /// <summary>jieba's precise cut without the HMM: the most probable route, ASCII letters and digits left alone in a row joined.</summary>
    private void CutWithoutHmm(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!IsBlockChar(text[i]))
            {
                words.Add((i, 1));
                i++;
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsBlockChar(text[end]))
            {
                end++;
            }

            var next = new int[end - i + 1];
            Route(text[i..end], next);
            var ascii = -1;
            for (var x = 0; x < end - i;)
            {
                var y = next[x];
                if (y - x == 1 && char.IsAsciiLetterOrDigit(text[i + x]))
                {
                    ascii = ascii < 0 ? x : ascii;
                }
                else
                {
                    if (ascii >= 0)
                    {
                        words.Add((i + ascii, x - ascii));
                        ascii = -1;
                    }

                    words.Add((i + x, y - x));
                }

                x = y;
            }

            if (ascii >= 0)
            {
                words.Add((i + ascii, end - i - ascii));
            }

            i = end;
        }
    }
}
