using ExamNetWatch.Indexer.Detection.Model;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>The rules' half of the verdict: each category's score from its terms and combinations, lifted and lowered by the cues.</summary>
internal sealed partial class DetectionScoring
{
    /// <summary>The rule score of each category of <see cref="Category.WithRumour"/>, as numbers (no words yet).</summary>
    private RuleFigures Rules(DetectionEvidence evidence)
    {
        var figures = new RuleFigures();
        var distinct = 0;
        for (var i = 0; i < evidence.Terms.Count; i++)
        {
            var term = evidence.Terms[i];
            var c = Category.IndexOf(term.Category);
            if (c < 0 || SeenBefore(evidence.Terms, i))
            {
                continue;
            }

            var weight = TermWeight(term.Term);
            figures.Scores[c] = Math.Max(figures.Scores[c], weight);
            figures.TermScore = c < Families && weight >= StrongTerm ? Math.Max(figures.TermScore, weight) : figures.TermScore;
            distinct++;
            figures.OpenPaper |= PostDetector.IsOpenPaperTerm(term.Term);
        }

        foreach (var fired in evidence.Combinations)
        {
            var c = Category.IndexOf(fired.Rule.Category);
            figures.Scores[c] = Math.Max(figures.Scores[c], fired.Rule.Weight);
            distinct++;
        }

        figures.Found = distinct > 0;
        if (!figures.Found)
        {
            return figures;
        }

        figures.Extra = Math.Min(MaxExtraEvidence, ExtraEvidenceWeight * (distinct - 1));
        var lift = figures.Extra + (figures.OpenPaper ? OpenPaperBoost : 0)
            + Cue(evidence, Intent, MaxIntent, sum: true)
            + Cue(evidence, Urgency, MaxUrgency, sum: false)
            + (evidence.Contacts.Count > 0 ? ContactWeight : Cue(evidence, ContactWords, MaxContactHint, sum: false));
        var frames = Cue(evidence, Frames, MaxFrames, sum: true);
        var hedges = Cue(evidence, Hearsay, MaxHedge, sum: true);
        for (var c = 0; c < figures.Scores.Length; c++)
        {
            // Hearsay (网传, 听说, 你们信吗) lowers an offer but is what a rumour is made of.
            var lowered = c == RumourIndex ? frames : frames + hedges;
            figures.Scores[c] = figures.Scores[c] == 0 ? 0 : Math.Clamp(figures.Scores[c] + lift - lowered, 0, 1);
        }

        figures.TermScore = figures.TermScore == 0 ? 0 : Math.Clamp(figures.TermScore + lift - frames - hedges, 0, 1);

        return figures;
    }

    /// <summary>Returns whether the term at <paramref name="index"/> was already found earlier in the post.</summary>
    private static bool SeenBefore(List<TermMatch> terms, int index)
    {
        var term = terms[index].Term;
        for (var j = 0; j < index; j++)
        {
            if (terms[j].Term == term)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A cue's weight: the summed (or strongest average) weight of the words of its classes, capped.</summary>
    private static double Cue(DetectionEvidence evidence, int[] classes, double cap, bool sum)
    {
        double total = 0, max = 0;
        var any = false;
        foreach (var c in classes)
        {
            if (evidence.ClassCounts[c] > 0)
            {
                any = true;
                total += evidence.ClassWeights[c];
                max = Math.Max(max, evidence.ClassWeights[c] / evidence.ClassCounts[c]);
            }
        }

        return any ? Math.Round(Math.Min(cap, sum ? total : max), 3) : 0;
    }

    /// <summary>The rule score of each category, and what went into it.</summary>
    private sealed class RuleFigures
    {
        public double[] Scores { get; } = new double[Category.WithRumour.Count];

        /// <summary>Gets whether any term or combination was found.</summary>
        public bool Found { get; set; }

        public bool OpenPaper { get; set; }

        public double Extra { get; set; }

        /// <summary>Gets the rule score of the strongest strong term (weight of at least <see cref="StrongTerm"/>) of an alert category alone, lifted and lowered like the others.</summary>
        public double TermScore { get; set; }
    }
}
