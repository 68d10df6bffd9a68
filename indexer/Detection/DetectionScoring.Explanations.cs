using System.Globalization;
using ExamNetWatch.Indexer.Detection.Concepts;
using ExamNetWatch.Indexer.Detection.Model;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>The explanation of a verdict: the rules' lines in the order an analyst reads them, and the model's strongest features.</summary>
internal sealed partial class DetectionScoring
{
    /// <summary>The explanation lines of the rules, in the order an analyst reads them.</summary>
    private List<Explanation> Explain(DetectionEvidence evidence, RuleFigures figures)
    {
        var explanations = new List<Explanation>(8);
        TermMatch? strongest = null;
        foreach (var term in evidence.Terms)
        {
            if (Category.IndexOf(term.Category) >= 0 && (strongest is null || TermWeight(term.Term) > TermWeight(strongest.Term)))
            {
                strongest = term;
            }
        }

        if (strongest is not null)
        {
            explanations.Add(new Explanation("term", TermWeight(strongest.Term), $"{strongest.Category}: {strongest.Term}"));
        }

        var combinations = evidence.Combinations.Count < 2 ? evidence.Combinations : [.. evidence.Combinations.OrderByDescending(f => f.Rule.Weight)];
        foreach (var fired in combinations)
        {
            var words = string.Join(" + ", fired.Words.Select(w => w.Term ?? "联系方式"));
            explanations.Add(new Explanation("combination", fired.Rule.Weight, $"{fired.Rule.Category}: {fired.Rule.Name}（{words}）"));
        }

        if (!figures.Found)
        {
            return explanations;
        }

        if (figures.Extra > 0)
        {
            var others = evidence.Terms.Select(t => t.Term).Distinct(StringComparer.Ordinal).Skip(1)
                .Concat(evidence.Combinations.Skip(evidence.Terms.Count == 0 ? 1 : 0).Select(f => f.Rule.Name));
            explanations.Add(new Explanation("more_terms", figures.Extra, string.Join("、", others)));
        }

        if (figures.OpenPaper)
        {
            var openPaper = evidence.Terms.Where(t => PostDetector.IsOpenPaperTerm(t.Term)).Select(t => t.Text);
            explanations.Add(new Explanation("exam_open", OpenPaperBoost, "科目正在考试：" + string.Join("、", openPaper)));
        }

        List<string>? evasions = null;
        foreach (var term in evidence.Terms)
        {
            if (term.Text != term.Term && !PostDetector.IsOpenPaperTerm(term.Term) && !_patternLabels.Contains(term.Term) && Category.IndexOf(term.Category) >= 0
                && $"“{term.Text}” → {term.Term}" is var evasion && !(evasions ??= []).Contains(evasion))
            {
                evasions.Add(evasion);
                explanations.Add(new Explanation("evasion", 0, evasion));
            }
        }

        AddCue(explanations, evidence, "intent", Intent, MaxIntent, sum: true, sign: 1);
        AddCue(explanations, evidence, "urgency", Urgency, MaxUrgency, sum: false, sign: 1);
        if (evidence.Contacts.Count > 0)
        {
            explanations.Add(new Explanation("contact", ContactWeight, string.Join("、", evidence.Contacts.Select(c => $"{c.Kind}:{c.Value}"))));
        }
        else
        {
            AddCue(explanations, evidence, "contact_hint", ContactWords, MaxContactHint, sum: false, sign: 1);
        }

        AddCue(explanations, evidence, "negative", Frames, MaxFrames, sum: true, sign: -1);
        AddCue(explanations, evidence, "hedge", Hearsay, MaxHedge, sum: true, sign: -1);
        return explanations;
    }

    private static void AddCue(List<Explanation> explanations, DetectionEvidence evidence, string rule, int[] classes, double cap, bool sum, int sign)
    {
        if (!Any(evidence, classes))
        {
            return;
        }

        // One pass over the words of the post for all the classes of the cue.
        var mask = 0;
        foreach (var c in classes)
        {
            mask |= 1 << c;
        }

        var words = new List<string>(4);
        Collect(evidence.TitleConcepts, mask, words);
        Collect(evidence.TextConcepts, mask, words);
        explanations.Add(new Explanation(rule, sign * Cue(evidence, classes, cap, sum), string.Join("、", words)));

        static void Collect(List<Concepts.ConceptHit> hits, int mask, List<string> words)
        {
            foreach (var hit in hits)
            {
                if ((hit.Classes & mask) != 0 && words.Count < MaxCueWords && !words.Contains(hit.Term))
                {
                    words.Add(hit.Term);
                }
            }
        }
    }

    /// <summary>The model's line: the category it favours, its probability and the features that drove it most.</summary>
    private Explanation ModelExplanation(DetectionEvidence evidence, int target, double probability, double alertProbability)
    {
        var detail = new System.Text.StringBuilder(160)
            .Append(_model!.Classes[target]).Append(' ').Append(probability.ToString("F2", CultureInfo.InvariantCulture))
            .Append("（告警类合计 ").Append(alertProbability.ToString("F2", CultureInfo.InvariantCulture)).Append("）：");
        var first = true;
        foreach (var (feature, contribution) in _model.Explain(evidence, target, ModelFeaturesShown))
        {
            detail.Append(first ? "" : "、");
            first = false;
            if (feature.StartsWith("g:", StringComparison.Ordinal))
            {
                detail.Append('「').Append(feature, 2, feature.Length - 2).Append('」');
            }
            else
            {
                detail.Append(feature);
            }

            detail.Append(" +").Append(contribution.ToString("F2", CultureInfo.InvariantCulture));
        }

        return new Explanation("model", Math.Round(alertProbability, 3), detail.ToString());
    }
}
