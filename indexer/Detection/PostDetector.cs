using ExamNetWatch.Indexer.Segmentation;
using Hit = ExamNetWatch.Indexer.Detection.AhoCorasick<ExamNetWatch.Indexer.Detection.LexiconEntry>.Match;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Judges one post: finds exam terms (through the normaliser, so inserted symbols, spaces, full-width forms
/// and invisible characters do not hide them), contacts, and the context around them — offering or seeking,
/// urgency, an "add me" hint, or the marks of an official notice, crackdown news or anti-fraud warning — and
/// turns them into a score, a severity and an explanation. Thread-safe; build one per lexicon version.
/// </summary>
public sealed class PostDetector
{
    private const double ExtraTermWeight = 0.1;
    private const double MaxExtraTerms = 0.2;
    private const double MaxIntent = 0.35;
    private const double ContactWeight = 0.2;
    private const double MaxNegative = 0.8;
    private const double OpenPaperTermWeight = 0.35;
    private const double PhoneticMinimumWeight = 0.4;
    private const int WordWindow = 6;
    private const double OpenPaperBoost = 0.25;
    private const string OpenPaperSuffix = "（考试进行中）";
    private static readonly string[] QuestionWords = ["答案", "题", "选什么", "选啥", "填空", "作文"];

    private readonly AhoCorasick<LexiconEntry> _terms;
    private readonly AhoCorasick<LexiconEntry> _cues;
    private readonly Dictionary<string, double> _termWeights;
    private readonly PhoneticMatcher _phonetic;
    private readonly HashSet<string> _patternLabels;
    private readonly LexiconEntry[] _patternEntries;
    private readonly ChineseSegmenter _segmenter;

    public PostDetector(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Lexicon = lexicon;
        _terms = new AhoCorasick<LexiconEntry>(lexicon.Terms.Select(t => KeyValuePair.Create(t.Term, t)));
        _cues = new AhoCorasick<LexiconEntry>(lexicon.Cues.Select(c => KeyValuePair.Create(c.Term, c)));
        _patternLabels = [.. lexicon.Patterns.Select(p => p.Label)];
        _patternEntries = [.. lexicon.Patterns.Select(p => new LexiconEntry(p.Kind, p.Label, p.Weight))];
        _phonetic = new PhoneticMatcher(lexicon.Terms.Where(t => t.Kind != Category.InExamTransmission && t.Weight >= PhoneticMinimumWeight));
        _segmenter = ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term));
        _termWeights = lexicon.Terms.Concat(lexicon.Patterns.Select(p => new LexiconEntry(p.Kind, p.Label, p.Weight)))
            .GroupBy(t => t.Term, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(t => t.Weight), StringComparer.Ordinal);
    }

    /// <summary>Gets the lexicon this detector was built from.</summary>
    public Lexicon Lexicon { get; }

    /// <summary>Judges a post with an optional title.</summary>
    public DetectionResult Detect(string? title, string text) => Detect(title, text, DetectionContext.None);

    /// <summary>Judges a post with an optional title, knowing which exam papers are open now.</summary>
    public DetectionResult Detect(string? title, string text, DetectionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(text);
        var titleText = string.IsNullOrEmpty(title) ? null : TextNormaliser.Normalise(title);
        var bodyText = TextNormaliser.Normalise(text);

        var matches = new List<TermMatch>();
        var contacts = new List<ContactInfo>();
        if (titleText is not null)
        {
            Examine("title", titleText, context, matches, contacts);
        }

        Examine("text", bodyText, context, matches, contacts);

        // Cues only weigh a post that has a term; a post without one scores zero whatever its cues.
        var cues = new HashSet<LexiconEntry>();
        if (matches.Count > 0)
        {
            var found = new List<AhoCorasick<LexiconEntry>.Match>();
            if (titleText is not null)
            {
                _cues.Collect(titleText.Value, found);
            }

            _cues.Collect(bodyText.Value, found);
            foreach (var cue in found)
            {
                cues.Add(cue.Value);
            }
        }

        return Score(matches, cues, contacts);
    }

    private void Examine(string field, NormalisedText normalised, DetectionContext context, List<TermMatch> matches, List<ContactInfo> contacts)
    {
        FindTerms(field, normalised, matches);
        if (context.OpenSubjects.Count > 0)
        {
            matches.AddRange(OpenPaperMatches(field, normalised, context));
        }

        foreach (var contact in ContactExtractor.Extract(normalised.Value, normalised.Original))
        {
            if (!contacts.Contains(contact))
            {
                contacts.Add(contact);
            }
        }
    }

    /// <summary>While a paper is open, naming its subject with question or answer words is itself a sign of transmission.</summary>
    private static IEnumerable<TermMatch> OpenPaperMatches(string field, NormalisedText normalised, DetectionContext context)
    {
        if (context.OpenSubjects.Count == 0 || !QuestionWords.Any(w => normalised.Value.Contains(w, StringComparison.Ordinal)))
        {
            yield break;
        }

        foreach (var subject in context.OpenSubjects)
        {
            var at = normalised.Value.IndexOf(TextNormaliser.Normalise(subject).Value, StringComparison.Ordinal);
            if (at >= 0 && subject.Length > 0)
            {
                var (start, end) = normalised.ToOriginal(at, at + TextNormaliser.Normalise(subject).Value.Length);
                yield return new TermMatch(field, start, end, normalised.Original[start..end], OpenPaperTerm(subject), Category.InExamTransmission);
            }
        }
    }

    private static string OpenPaperTerm(string subject) => subject + OpenPaperSuffix;

    private void FindTerms(string field, NormalisedText normalised, List<TermMatch> matches)
    {
        var text = normalised.Value;
        var hits = _terms.FindAll(text);
        _phonetic.Find(text, hits);

        // Short terms and all-Han sound-alikes must be words of their own: 包过 in 软件包过期 is 软件包 + 过期.
        var kept = 0;
        for (var i = 0; i < hits.Count; i++)
        {
            var h = hits[i];
            if (!NeedsWordCheck(text, h.Start, h.End, h.Pattern) || IsWord(text, h.Start, h.End))
            {
                hits[kept++] = h;
            }
        }

        hits.RemoveRange(kept, hits.Count - kept);

        for (var p = 0; p < Lexicon.Patterns.Count; p++)
        {
            var pattern = Lexicon.Patterns[p];
            foreach (var m in pattern.Expression.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    hits.Add(new Hit(m.Index, m.Index + m.Length, pattern.Label, _patternEntries[p]));
                }
            }
        }

        // A term inside a longer matched term (接收器 in 橡皮接收器) is not reported on its own.
        for (var i = 0; i < hits.Count; i++)
        {
            var hit = hits[i];
            if (!IsContained(hits, i))
            {
                var (start, end) = normalised.ToOriginal(hit.Start, hit.End);
                matches.Add(new TermMatch(field, start, end, normalised.Original[start..end], hit.Pattern, hit.Value.Kind));
            }
        }
    }

    private static bool IsContained(List<Hit> hits, int index)
    {
        var hit = hits[index];
        for (var j = 0; j < hits.Count; j++)
        {
            var other = hits[j];
            if (j != index && (other.Pattern.Length > hit.Pattern.Length || other.End - other.Start > hit.End - hit.Start)
                && other.Start <= hit.Start && other.End >= hit.End)
            {
                return true;
            }
        }

        return false;
    }

    private static bool NeedsWordCheck(string text, int start, int end, string term)
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
    private bool IsWord(string text, int start, int end)
    {
        // Bounded by non-Han characters on both sides, it can only be a word of its own; and if no dictionary word
        // straddles either edge (软件包|过期), segmentation could not cut it differently — jieba runs only when one does.
        if (((start == 0 || !TextNormaliser.IsHan(text[start - 1])) && (end == text.Length || !TextNormaliser.IsHan(text[end])))
            || !Straddled(text, start, end))
        {
            return true;
        }

        var from = Math.Max(0, start - WordWindow);
        var to = Math.Min(text.Length, end + WordWindow);
        var words = new List<(int Start, int Length)>(to - from);
        _segmenter.Cut(text.AsSpan(from, to - from), words);
        var startIsBoundary = false;
        var endIsBoundary = false;
        foreach (var (wordStart, length) in words)
        {
            startIsBoundary |= from + wordStart == start;
            endIsBoundary |= from + wordStart + length == end;
        }

        return startIsBoundary && endIsBoundary;
    }

    /// <summary>Returns whether a dictionary word of 2–4 Han characters crosses the start or the end of [start, end).</summary>
    private static bool Straddled(string text, int start, int end)
    {
        for (var from = Math.Max(0, start - 3); from < end; from++)
        {
            for (var to = Math.Max(from + 2, start + 1); to <= Math.Min(text.Length, from + 4); to++)
            {
                var crossesStart = from < start && to > start;
                var crossesEnd = from < end && to > end;
                if ((crossesStart || crossesEnd) && !(from == start && to == end)
                    && AllHan(text, from, to) && ChineseSegmenter.IsDictionaryWord(text.AsSpan(from, to - from)))
                {
                    return true;
                }
            }
        }

        return false;
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

    private DetectionResult Score(List<TermMatch> matches, HashSet<LexiconEntry> cues, List<ContactInfo> contacts)
    {
        if (matches.Count == 0)
        {
            return new DetectionResult(Severity.None, 0, [], matches, contacts, []);
        }

        // Distinct terms, strongest first; plain loops, as this runs for every post with a term.
        var weights = new List<(string Term, string Category, double Weight)>(matches.Count);
        var categories = new List<string>(2);
        var openPaper = new List<string>();
        var evasions = new List<string>();
        foreach (var m in matches)
        {
            if (!HasTerm(weights, m.Term))
            {
                weights.Add((m.Term, m.Category, _termWeights.GetValueOrDefault(m.Term, OpenPaperTermWeight)));
            }

            if (m.Term.EndsWith(OpenPaperSuffix, StringComparison.Ordinal))
            {
                openPaper.Add(m.Text);
            }
            else if (m.Text != m.Term && !_patternLabels.Contains(m.Term) && $"“{m.Text}” → {m.Term}" is var evasion && !evasions.Contains(evasion))
            {
                evasions.Add(evasion);
            }
        }

        weights.Sort((x, y) => y.Weight.CompareTo(x.Weight));
        foreach (var w in weights)
        {
            if (!categories.Contains(w.Category))
            {
                categories.Add(w.Category);
            }
        }
        var explanations = new List<Explanation>(6 + evasions.Count)
        {
            new("term", weights[0].Weight, $"{weights[0].Category}: {weights[0].Term}"),
        };
        var score = weights[0].Weight;
        var extra = Math.Min(MaxExtraTerms, ExtraTermWeight * (weights.Count - 1));
        if (extra > 0)
        {
            score += extra;
            var others = new string[weights.Count - 1];
            for (var i = 1; i < weights.Count; i++)
            {
                others[i - 1] = weights[i].Term;
            }

            explanations.Add(new Explanation("more_terms", extra, string.Join("、", others)));
        }

        if (openPaper.Count > 0)
        {
            score += OpenPaperBoost;
            explanations.Add(new Explanation("exam_open", OpenPaperBoost, "科目正在考试：" + string.Join("、", openPaper)));
        }

        foreach (var evasion in evasions)
        {
            explanations.Add(new Explanation("evasion", 0, evasion));
        }

        score += Add(explanations, "intent", cues, sum: true, cap: MaxIntent);
        score += Add(explanations, "urgency", cues, sum: false, cap: 1);
        if (contacts.Count > 0)
        {
            score += ContactWeight;
            explanations.Add(new Explanation("contact", ContactWeight, string.Join("、", contacts.Select(c => $"{c.Kind}:{c.Value}"))));
        }
        else
        {
            score += Add(explanations, "contact_hint", cues, sum: false, cap: 1);
        }

        score -= Add(explanations, "negative", cues, sum: true, cap: MaxNegative, sign: -1);
        score = Math.Round(Math.Clamp(score, 0, 1), 3);
        return new DetectionResult(SeverityScale.FromScore(score), score, categories, matches, contacts, explanations);
    }

    private static bool HasTerm(List<(string Term, string Category, double Weight)> weights, string term)
    {
        foreach (var w in weights)
        {
            if (w.Term == term)
            {
                return true;
            }
        }

        return false;
    }

    private static double Add(List<Explanation> explanations, string kind, HashSet<LexiconEntry> cues, bool sum, double cap, int sign = 1)
    {
        double total = 0, max = 0;
        List<string>? terms = null;
        foreach (var cue in cues)
        {
            if (cue.Kind == kind)
            {
                (terms ??= []).Add(cue.Term);
                total += cue.Weight;
                max = Math.Max(max, cue.Weight);
            }
        }

        if (terms is null)
        {
            return 0;
        }

        var weight = Math.Min(cap, sum ? total : max);
        explanations.Add(new Explanation(kind, sign * weight, string.Join("、", terms)));
        return weight;
    }
}
