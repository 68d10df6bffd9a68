namespace ExamNetWatch.Indexer.Detection.Concepts;

/// <summary>A word of a concept class found in normalised text: [Start, End) and the classes it belongs to (bits of <see cref="ConceptClass.All"/>).</summary>
public readonly record struct ConceptHit(int Start, int End, int Classes, string Term, double Weight)
{
    /// <summary>Returns whether the word belongs to the class at <paramref name="index"/> of <see cref="ConceptClass.All"/>.</summary>
    public bool Is(int index) => (Classes & (1 << index)) != 0;
}

/// <summary>
/// Finds the words of every concept class in one pass (Aho–Corasick), plus the concept patterns (prices such as 一科300,
/// masked numbers such as 139****5678). A one-character word must not be part of a dictionary word around it (题 in 问题
/// is no object, 出 in 出来 no offer); a word inside a longer one found here is not reported (考后 in 考后付款 is payment,
/// not after the exam) — which is also how a two-character word is kept out of the ordinary words that hold it: those
/// are listed under the class <c>plain</c> (正在考虑 holds 在考, 包过期 holds 包过), which counts for nothing. Segmenting
/// around every two-character word instead cost most of detection's time on exam-forum text and changed no verdict of
/// the development split.
/// </summary>
internal sealed partial class ConceptMatcher
{
    private static readonly int PlainBit = 1 << ConceptClass.IndexOf(ConceptClass.Plain);
    private static readonly int ContactBit = 1 << ConceptClass.IndexOf(ConceptClass.Contact);

    private readonly AhoCorasick<ConceptWord> _words;
    private readonly (PatternEntry Pattern, int Mask)[] _patterns;
    private readonly Dictionary<string, int> _masks;
    private readonly PatternGate _gate;
    private readonly PhoneticMatcher _pinyin;
    private readonly WordBoundaries _boundaries;

    /// <param name="boundaries">The word checks over jieba's dictionary: made from the segmenter, so the dictionary is loaded.</param>
    public ConceptMatcher(IEnumerable<LexiconEntry> concepts, IEnumerable<PatternEntry> patterns, WordBoundaries boundaries)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        _boundaries = boundaries;
        // A word may be listed under several classes (有偿 is payment and service): one entry, the classes as bits.
        var words = concepts
            .Where(c => ConceptClass.IndexOf(c.Kind) >= 0 && c.Term.Length > 0)
            .GroupBy(c => c.Term, StringComparer.Ordinal)
            .Select(g =>
            {
                var mask = g.Aggregate(0, (mask, c) => mask | (1 << ConceptClass.IndexOf(c.Kind)));
                var check = IsAsciiWord(g.Key) ? WordCheck.Ascii
                    : !g.Key.All(TextNormaliser.IsHan) || g.Key.Length > 2 ? WordCheck.None
                    : g.Key.Length == 1 ? WordCheck.Free
                    : WordCheck.None;
                return KeyValuePair.Create(g.Key, new ConceptWord(mask, g.Max(c => c.Weight), check));
            });
        _words = new AhoCorasick<ConceptWord>(words);
        _patterns = [.. patterns.Where(p => ConceptClass.IndexOf(p.Kind) >= 0).Select(p => (p, 1 << ConceptClass.IndexOf(p.Kind)))];
        _gate = new PatternGate([.. _patterns.Select(p => p.Pattern)]);

        // Words of two characters or more also in pinyin (da案, kao场, ēr jī), each once, under all its classes.
        _masks = concepts.Where(c => ConceptClass.IndexOf(c.Kind) >= 0).GroupBy(c => c.Term, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Aggregate(0, (mask, c) => mask | (1 << ConceptClass.IndexOf(c.Kind))), StringComparer.Ordinal);
        _pinyin = new PhoneticMatcher(
            concepts.Where(c => ConceptClass.IndexOf(c.Kind) >= 0 && c.Kind != ConceptClass.Plain).GroupBy(c => c.Term, StringComparer.Ordinal).Select(g => g.First()),
            minimumSyllables: 2);

    }

    /// <summary>Adds the concept words of <paramref name="normalised"/> to <paramref name="into"/>, in order of start (the longer first).</summary>
    public void Find(NormalisedText normalised, List<ConceptHit> into)
    {
        var text = normalised.Value;
        var found = t_found ??= new List<AhoCorasick<ConceptWord>.Match>(64);
        found.Clear();
        _words.Collect(text, found);
        var first = into.Count;
        foreach (var (start, end, term, word) in found)
        {
            var keep = word.Check switch
            {
                WordCheck.Ascii => IsAsciiWordAt(text, start, end),
                WordCheck.Free => _boundaries.IsFree(text, start, end),
                _ => true,
            };
            if (keep)
            {
                into.Add(new ConceptHit(start, end, word.Mask, term, word.Weight));
            }
        }

        if (text.AsSpan().IndexOfAnyInRange('a', 'z') >= 0)
        {
            var spelled = new List<AhoCorasick<LexiconEntry>.Match>();
            _pinyin.FindPinyin(text, spelled);
            foreach (var (start, end, term, entry) in spelled)
            {
                into.Add(new ConceptHit(start, end, _masks[term], term, entry.Weight));
            }
        }

        // Words inside longer words are dropped before the patterns run: a pattern spans several words (卷子拍了) and
        // must not hide them.
        RemoveContained(into, first);
        var words = into.Count;
        var candidates = _gate.MayMatch(text);
        for (var p = 0; p < _patterns.Length; p++)
        {
            var (pattern, mask) = _patterns[p];
            if (!PatternGate.Includes(candidates, p))
            {
                continue;
            }

            foreach (var m in pattern.Expression.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    into.Add(new ConceptHit(m.Index, m.Index + m.Length, mask, text.Substring(m.Index, m.Length), pattern.Weight));
                }
            }
        }

        // Masked numbers (2873**90, 139××××5678) lose their masks to normalisation: found in the original text.
        if (normalised.Original.AsSpan().IndexOfAny(MaskSigns) >= 0)
        {
            foreach (var m in MaskedNumber().EnumerateMatches(normalised.Original))
            {
                var start = normalised.FromOriginal(m.Index);
                var end = Math.Max(start + 1, normalised.FromOriginal(m.Index + m.Length));
                if (start < text.Length && end <= text.Length)
                {
                    into.Add(new ConceptHit(start, end, ContactBit, normalised.Original.Substring(m.Index, m.Length), 0.15));
                }
            }
        }

        into.RemoveAll(h => h.Classes == PlainBit);
        if (into.Count > words)
        {
            into.Sort(first, into.Count - first, OuterFirst.Instance);
        }
    }

    private static readonly System.Buffers.SearchValues<char> MaskSigns = System.Buffers.SearchValues.Create("*＊×xX✱");

    private static bool IsAsciiWord(string term)
    {
        foreach (var c in term)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A word of Latin letters and digits (qq, vx, cet4, c1) must not be part of a longer one (rfc1321, tv): nothing
    /// alphanumeric before it, no letter after it, and no digit after a final digit; digits may follow letters (v123456).
    /// </summary>
    private static bool IsAsciiWordAt(string text, int start, int end) =>
        (start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1]))
        && (end == text.Length || !(char.IsAsciiLetter(text[end]) || (char.IsAsciiDigit(text[end]) && char.IsAsciiDigit(text[end - 1]))));

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![0-9])[0-9]{2,7}\s*[*＊×xX✱]{2,8}\s*[0-9]{2,6}(?![0-9])")]
    private static partial System.Text.RegularExpressions.Regex MaskedNumber();

    /// <summary>Drops the words inside a longer word; leaves the rest in order of start (then end).</summary>
    private static void RemoveContained(List<ConceptHit> hits, int first)
    {
        // In order of start, longest first, a word is inside a longer one exactly when an earlier word reaches as far.
        hits.Sort(first, hits.Count - first, OuterFirst.Instance);
        var kept = first;
        int reach = -1, reachStart = -1;
        for (var i = first; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (hit.End <= reach && !(reachStart == hit.Start && reach == hit.End))
            {
                continue;
            }

            if (hit.End > reach)
            {
                reach = hit.End;
                reachStart = hit.Start;
            }

            hits[kept++] = hit;
        }

        hits.RemoveRange(kept, hits.Count - kept);
    }

    private sealed class OuterFirst : IComparer<ConceptHit>
    {
        public static readonly OuterFirst Instance = new();

        public int Compare(ConceptHit x, ConceptHit y) => x.Start != y.Start ? x.Start.CompareTo(y.Start) : y.End.CompareTo(x.End);
    }

    [ThreadStatic]
    private static List<AhoCorasick<ConceptWord>.Match>? t_found;

    /// <summary>How a match of a word is checked: a Latin word must stand alone, a one-character word must be free of dictionary words around it.</summary>
    private enum WordCheck : byte
    {
        None,
        Ascii,
        Free,
    }

    private sealed record ConceptWord(int Mask, double Weight, WordCheck Check);

}
