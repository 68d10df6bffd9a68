using ExamNetWatch.Indexer.Detection.Concepts;
using ExamNetWatch.Indexer.Detection.Model;
using ExamNetWatch.Indexer.Segmentation;
using Hit = ExamNetWatch.Indexer.Detection.AhoCorasick<ExamNetWatch.Indexer.Detection.LexiconEntry>.Match;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Judges one post. Through the normaliser (so inserted symbols, spaces, full-width forms, traditional characters and
/// invisible characters do not hide anything) it finds the lexicon's terms, the words of every concept class and the
/// combinations of classes that point to a category (an object + an exam + a transaction), contacts, and the frames of
/// reported speech, warnings and notices; the trained model reads all of that with the post's character n-grams; and
/// <see cref="DetectionScoring"/> turns rules and model into one score, a severity and an explanation.
/// Thread-safe; build one per lexicon version.
/// </summary>
public sealed class PostDetector
{
    private const double PhoneticMinimumWeight = 0.4;
    private const string OpenPaperSuffix = "（考试进行中）";
    private static readonly string[] QuestionWords = ["答案", "题", "选什么", "选啥", "填空", "作文"];
    private static readonly int ContactClass = ConceptClass.IndexOf(ConceptClass.Contact);

    // Words whose place inside quotation marks (所谓“包过”) says the post reports an offer rather than makes one.
    private static readonly int OfferSide = new[] { ConceptClass.Goods, ConceptClass.Offer, ConceptClass.Price, ConceptClass.Payment, ConceptClass.Guarantee, ConceptClass.Service, ConceptClass.Device, ConceptClass.DeviceTrait }
        .Aggregate(0, (mask, c) => mask | (1 << ConceptClass.IndexOf(c)));

    private readonly AhoCorasick<LexiconEntry> _terms;
    private readonly PhoneticMatcher _phonetic;
    private readonly LexiconEntry[] _patternEntries;
    private readonly PatternEntry[] _categoryPatterns;
    private readonly PatternGate _gate;
    private readonly ConceptMatcher _concepts;
    private readonly WordBoundaries _boundaries;
    private readonly DetectionScoring _scoring;

    public PostDetector(Lexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        Lexicon = lexicon;
        _terms = new AhoCorasick<LexiconEntry>(lexicon.Terms.Select(t => KeyValuePair.Create(t.Term, t)));
        _categoryPatterns = [.. lexicon.Patterns.Where(p => Category.TermFamilies.Contains(p.Kind))];
        _patternEntries = [.. _categoryPatterns.Select(p => new LexiconEntry(p.Kind, p.Label, p.Weight))];
        _gate = new PatternGate(_categoryPatterns);
        _phonetic = new PhoneticMatcher(lexicon.Terms.Where(t => t.Kind != Category.InExamTransmission && t.Weight >= PhoneticMinimumWeight));
        _boundaries = new WordBoundaries(ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term)));
        _concepts = new ConceptMatcher(lexicon.Concepts, lexicon.Patterns, _boundaries);
        _scoring = new DetectionScoring(lexicon);
    }

    /// <summary>Gets the lexicon this detector was built from.</summary>
    public Lexicon Lexicon { get; }

    /// <summary>Judges a post with an optional title.</summary>
    public DetectionResult Detect(string? title, string text) => Detect(title, text, DetectionContext.None);

    /// <summary>Judges a post with an optional title, knowing which exam papers are open now or start soon.</summary>
    public DetectionResult Detect(string? title, string text, DetectionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _scoring.Judge(Gather(title, text, context), context);
    }

    /// <summary>Finds everything the rules see in a post (the model's input), without judging it.</summary>
    internal DetectionEvidence Gather(string? title, string text, DetectionContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        var titleText = string.IsNullOrEmpty(title) ? null : TextNormaliser.Normalise(title);
        var evidence = new DetectionEvidence(titleText, TextNormaliser.Normalise(text));
        if (titleText is not null)
        {
            Examine("title", titleText, context, evidence, evidence.TitleConcepts);
        }

        Examine("text", evidence.Text, context, evidence, evidence.TextConcepts);

        var hasContact = evidence.Contacts.Count > 0;
        if (hasContact)
        {
            evidence.ClassCounts[ContactClass]++;
        }

        // A rule is tried on a field only if every one of its groups has a word of its classes there at all.
        var titleClasses = ClassesOf(evidence.TitleConcepts, hasContact);
        var textClasses = ClassesOf(evidence.TextConcepts, hasContact);
        foreach (var rule in Lexicon.Combinations)
        {
            var inTitleAtAll = titleText is not null && rule.MetBy(titleClasses);
            if (!inTitleAtAll && !rule.MetBy(textClasses))
            {
                continue;
            }

            if (inTitleAtAll && CombinationMatcher.Match(rule, evidence.TitleConcepts, hasContact) is { } inTitle)
            {
                evidence.Combinations.Add(new FiredCombination(rule, "title", inTitle));
            }
            else if (CombinationMatcher.Match(rule, evidence.TextConcepts, hasContact) is { } inText)
            {
                evidence.Combinations.Add(new FiredCombination(rule, "text", inText));
            }
        }

        foreach (var term in evidence.Terms)
        {
            var family = Category.IndexOf(term.Category);
            if (family >= 0 && family < Category.TermFamilies.Count)
            {
                evidence.TermWeights[family] = Math.Max(evidence.TermWeights[family], _scoring.TermWeight(term.Term));
            }
        }

        evidence.OpenPaper = evidence.Terms.Exists(t => t.Term.EndsWith(OpenPaperSuffix, StringComparison.Ordinal));
        evidence.QuotedShare = QuotedShare(evidence);
        return evidence;
    }

    private static int ClassesOf(List<ConceptHit> hits, bool hasContact)
    {
        var classes = hasContact ? 1 << ContactClass : 0;
        foreach (var hit in hits)
        {
            classes |= hit.Classes;
        }

        return classes;
    }

    private void Examine(string field, NormalisedText normalised, DetectionContext context, DetectionEvidence evidence, List<ConceptHit> concepts)
    {
        FindTerms(field, normalised, evidence.Terms);
        if (context.OpenSubjects.Count > 0)
        {
            evidence.Terms.AddRange(OpenPaperMatches(field, normalised, context));
        }

        foreach (var contact in ContactExtractor.Extract(normalised.Value, normalised.Original))
        {
            if (!evidence.Contacts.Contains(contact))
            {
                evidence.Contacts.Add(contact);
            }
        }

        _concepts.Find(normalised, concepts);
        foreach (var hit in concepts)
        {
            for (var bits = (uint)hit.Classes; bits != 0; bits &= bits - 1)
            {
                var c = System.Numerics.BitOperations.TrailingZeroCount(bits);
                evidence.ClassCounts[c]++;
                evidence.ClassWeights[c] += hit.Weight;
            }
        }
    }

    /// <summary>While a paper is open, naming its subject with question or answer words is itself a sign of transmission.</summary>
    private static IEnumerable<TermMatch> OpenPaperMatches(string field, NormalisedText normalised, DetectionContext context)
    {
        if (!QuestionWords.Any(w => normalised.Value.Contains(w, StringComparison.Ordinal)))
        {
            yield break;
        }

        foreach (var subject in context.OpenSubjects)
        {
            var key = TextNormaliser.Normalise(subject).Value;
            var at = key.Length == 0 ? -1 : normalised.Value.IndexOf(key, StringComparison.Ordinal);
            if (at >= 0)
            {
                var (start, end) = normalised.ToOriginal(at, at + key.Length);
                yield return new TermMatch(field, start, end, normalised.Original[start..end], subject + OpenPaperSuffix, Category.InExamTransmission);
            }
        }
    }

    /// <summary>Returns whether <paramref name="term"/> names an open paper (the term <see cref="OpenPaperMatches"/> reports).</summary>
    internal static bool IsOpenPaperTerm(string term) => term.EndsWith(OpenPaperSuffix, StringComparison.Ordinal);

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
            if (!WordBoundaries.NeedsCheck(text, h.Start, h.End, h.Pattern) || _boundaries.IsWord(text, h.Start, h.End))
            {
                hits[kept++] = h;
            }
        }

        hits.RemoveRange(kept, hits.Count - kept);

        var candidates = _gate.MayMatch(text);
        for (var p = 0; p < _categoryPatterns.Length; p++)
        {
            if (!PatternGate.Includes(candidates, p))
            {
                continue;
            }

            foreach (var m in _categoryPatterns[p].Expression.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    hits.Add(new Hit(m.Index, m.Index + m.Length, _categoryPatterns[p].Label, _patternEntries[p]));
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

    /// <summary>The share of offer-side words that sit between quotation marks in the original text.</summary>
    private static double QuotedShare(DetectionEvidence evidence)
    {
        int offered = 0, quoted = 0;
        Count(evidence.Title, evidence.TitleConcepts, ref offered, ref quoted);
        Count(evidence.Text, evidence.TextConcepts, ref offered, ref quoted);
        return offered == 0 ? 0 : (double)quoted / offered;

        static void Count(NormalisedText? field, List<ConceptHit> hits, ref int offered, ref int quoted)
        {
            if (field is null || hits.Count == 0)
            {
                return;
            }

            var ranges = QuotedRanges(field.Original);
            foreach (var hit in hits)
            {
                if ((hit.Classes & OfferSide) == 0)
                {
                    continue;
                }

                offered++;
                if (ranges.Count > 0)
                {
                    var (start, _) = field.ToOriginal(hit.Start, hit.End);
                    if (ranges.Exists(r => r.Start <= start && start < r.End))
                    {
                        quoted++;
                    }
                }
            }
        }
    }

    private static List<(int Start, int End)> QuotedRanges(string original)
    {
        var ranges = new List<(int, int)>();
        var open = -1;
        var closing = '\0';
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            if (open < 0)
            {
                closing = c switch { '“' => '”', '「' => '」', '『' => '』', '‘' => '’', '"' => '"', '《' => '》', _ => '\0' };
                if (closing != '\0')
                {
                    open = i;
                }
            }
            else if (c == closing)
            {
                // Only short quotations: a quoted slogan or term, not a whole quoted ad standing in for the post.
                if (i - open <= 40)
                {
                    ranges.Add((open, i));
                }

                open = -1;
            }
        }

        return ranges;
    }
}
