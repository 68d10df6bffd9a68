using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Whether a short match is a word of its own: 包过 in 软件包过期 is 软件包 + 过期, 题 in 问题 is part of 问题. jieba runs
/// only when a dictionary word straddles an edge of the match, which most matches in most texts never need.
/// </summary>
internal sealed class WordBoundaries(ChineseSegmenter segmenter)
{
    private const int WordWindow = 4;

    /// <summary>Returns whether a match of <paramref name="term"/> at [start, end) must be checked: all Han, and short or not literal.</summary>
    public static bool NeedsCheck(string text, int start, int end, string term)
    {
        var found = text.AsSpan(start, end - start);
        foreach (var c in found)
        {
            if (!TextNormaliser.IsHan(c))
            {
                return false;
            }
        }

        return term.Length <= 2 || !found.SequenceEqual(term);
    }

    /// <summary>Returns whether [start, end) begins and ends on jieba word boundaries of the text around it.</summary>
    public bool IsWord(string text, int start, int end)
    {
        // Bounded by non-Han characters on both sides, it can only be a word of its own; and if no dictionary word
        // straddles either edge (软件包|过期), segmentation could not cut it differently — jieba runs only when one does.
        if ((start == 0 || !TextNormaliser.IsHan(text[start - 1])) && (end == text.Length || !TextNormaliser.IsHan(text[end])))
        {
            return true;
        }

        // A match that is a dictionary word more frequent than every word straddling its edges is what jieba's most
        // probable route keeps too (答案 in 答案是: 案是 is rare): no segmentation needed.
        var straddling = StraddlingFrequency(text, start, end);
        if (straddling == 0 || (end - start >= 2 && straddling <= segmenter.Frequency(text.AsSpan(start, end - start))))
        {
            return true;
        }

        var from = Math.Max(0, start - WordWindow);
        var to = Math.Min(text.Length, end + WordWindow);
        var words = new List<(int Start, int Length)>(to - from);
        segmenter.Cut(text.AsSpan(from, to - from), words);
        var startIsBoundary = false;
        var endIsBoundary = false;
        foreach (var (wordStart, length) in words)
        {
            startIsBoundary |= from + wordStart == start;
            endIsBoundary |= from + wordStart + length == end;
        }

        return startIsBoundary && endIsBoundary;
    }

    /// <summary>
    /// Returns whether no dictionary word takes in [start, end) with its neighbours — the check for one-character words
    /// (题, 出, 收), which are words of their own far less often than parts of others (问题, 出来, 收到); cheaper than
    /// segmenting, and stricter.
    /// </summary>
    public bool IsFree(string text, int start, int end) => StraddlingFrequency(text, start, end, any: true) == 0;

    /// <summary>
    /// Returns the highest frequency of the dictionary words of 2–4 Han characters crossing the start or the end of
    /// [start, end), 0 if none does; with <paramref name="any"/>, a positive number as soon as one does.
    /// </summary>
    private int StraddlingFrequency(string text, int start, int end, bool any = false)
    {
        var highest = 0;
        for (var from = Math.Max(0, start - 3); from < end; from++)
        {
            if (from + 1 >= text.Length || !segmenter.MayStartWord(text[from], text[from + 1]))
            {
                continue;
            }

            for (var to = Math.Max(from + 2, start + 1); to <= Math.Min(text.Length, from + 4); to++)
            {
                var crossesStart = from < start && to > start;
                var crossesEnd = from < end && to > end;
                if ((crossesStart || crossesEnd) && !(from == start && to == end) && AllHan(text, from, to))
                {
                    highest = Math.Max(highest, segmenter.Frequency(text.AsSpan(from, to - from)));
                    if (any && highest > 0)
                    {
                        return highest;
                    }
                }
            }
        }

        return highest;
    }

    private static bool AllHan(string text, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (!TextNormaliser.IsHan(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
