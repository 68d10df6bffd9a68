using System.Globalization;
using System.Text;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Evaluation;

/// <summary>One alert category: recall over the posts labelled with it, precision over the alerts that name it first.</summary>
/// <param name="Labelled">Posts labelled with the category.</param>
/// <param name="Found">Of those, how many raised an alert (of any category).</param>
/// <param name="Named">Alerts whose first category is this one.</param>
/// <param name="NamedCorrectly">Of those, how many are labelled alerts (of any category).</param>
/// <param name="NamedExactly">Of those, how many are labelled with this very category.</param>
public sealed record CategoryFigures(int Labelled, int Found, int Named, int NamedCorrectly, int NamedExactly)
{
    public double Recall => Labelled == 0 ? 1 : (double)Found / Labelled;

    public double Precision => Named == 0 ? 1 : (double)NamedCorrectly / Named;
}

/// <summary>How detection does on a labelled set: alerts overall, per category, per evasion and per source type, the watch items, the severities, and every error.</summary>
public sealed class EvaluationReport
{
    public EvaluationReport(IReadOnlyList<(LabelledPost Post, DetectionResult Result)> judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        Judged = judged;
        Overall = Confusion.Of(judged.Select(j => (j.Post.Alert, j.Result.IsAlert)));
        ByCategory = Slice(judged, j => j.Post.Category);
        ByEvasion = Slice(judged.Where(j => j.Post.Alert), j => j.Post.Evasion);
        BySourceType = Slice(judged, j => j.Post.SourceType);
        Categories = Category.TermFamilies.ToDictionary(
            c => c,
            c =>
            {
                var labelled = judged.Where(j => j.Post.Alert && j.Post.Category == c).ToList();
                var named = judged.Where(j => j.Result.IsAlert && j.Result.Categories.Count > 0 && j.Result.Categories[0] == c).ToList();
                return new CategoryFigures(labelled.Count, labelled.Count(j => j.Result.IsAlert), named.Count, named.Count(j => j.Post.Alert), named.Count(j => j.Post.Alert && j.Post.Category == c));
            },
            StringComparer.Ordinal);
        Watch = Confusion.Of(judged.Where(j => !j.Result.IsAlert || j.Post.Watch).Select(j => (j.Post.Watch, IsWatch(j.Result))));
        WatchAlerted = judged.Count(j => j.Post.Watch && j.Result.IsAlert);
        Severities = Enum.GetValues<Severity>().ToDictionary(s => s, s => judged.Count(j => j.Result.Severity == s));
    }

    /// <summary>Gets every post with its verdict.</summary>
    public IReadOnlyList<(LabelledPost Post, DetectionResult Result)> Judged { get; }

    /// <summary>Gets the alert decision over the whole set (a watch item is not an alert).</summary>
    public Confusion Overall { get; }

    /// <summary>Gets the alert decision per labelled category (negatives by their kind).</summary>
    public IReadOnlyDictionary<string, Confusion> ByCategory { get; }

    /// <summary>Gets the alert decision per evasion class, over the posts that must alert.</summary>
    public IReadOnlyDictionary<string, Confusion> ByEvasion { get; }

    /// <summary>Gets the alert decision per type of the source the posts were modelled on.</summary>
    public IReadOnlyDictionary<string, Confusion> BySourceType { get; }

    /// <summary>Gets recall and precision of each alert category.</summary>
    public IReadOnlyDictionary<string, CategoryFigures> Categories { get; }

    /// <summary>Gets the watch decision (leak rumours) over the posts that did not alert and the labelled rumours.</summary>
    public Confusion Watch { get; }

    /// <summary>Gets the labelled rumours that raised an alert instead of a watch item.</summary>
    public int WatchAlerted { get; }

    /// <summary>Gets how many posts got each severity.</summary>
    public IReadOnlyDictionary<Severity, int> Severities { get; }

    /// <summary>Gets the posts whose alert decision is wrong, and the rumours that were not watched.</summary>
    public IEnumerable<(LabelledPost Post, DetectionResult Result)> Errors =>
        Judged.Where(j => j.Post.Alert != j.Result.IsAlert || (j.Post.Watch && !IsWatch(j.Result)));

    /// <summary>Returns whether a verdict is a watch item: not an alert, low, and naming a leak rumour.</summary>
    public static bool IsWatch(DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.IsAlert && result.Severity == Severity.Low && result.Categories.Contains(Category.LeakRumour);
    }

    private static Dictionary<string, Confusion> Slice(IEnumerable<(LabelledPost Post, DetectionResult Result)> judged, Func<(LabelledPost Post, DetectionResult Result), string> key) =>
        judged.GroupBy(key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Confusion.Of(g.Select(j => (j.Post.Alert, j.Result.IsAlert))), StringComparer.Ordinal);

    /// <summary>Formats the report as plain-text tables, then every error (unless <paramref name="errors"/> is false: a held-out set's posts are not shown to those who tune the rules).</summary>
    public string ToTable(bool errors = true)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"posts {Overall.Total}   alerts: precision {Overall.Precision:0.000}   recall {Overall.Recall:0.000}   F1 {Overall.F1:0.000}   (TP {Overall.TruePositives}, FP {Overall.FalsePositives}, FN {Overall.FalseNegatives}, TN {Overall.TrueNegatives})");
        text.AppendLine();
        text.AppendLine("alert category           posts  found  recall   named  right  precision  exact");
        foreach (var (name, c) in Categories)
        {
            Line($"{name,-24} {c.Labelled,5} {c.Found,6}  {c.Recall,6:0.000}  {c.Named,6} {c.NamedCorrectly,6}     {c.Precision,6:0.000} {c.NamedExactly,6}");
        }

        Line($"{"leak_rumour (watch)",-24} {Watch.TruePositives + Watch.FalseNegatives + WatchAlerted,5} {Watch.TruePositives,6}  {(Watch.TruePositives + Watch.FalseNegatives + WatchAlerted == 0 ? 1 : (double)Watch.TruePositives / (Watch.TruePositives + Watch.FalseNegatives + WatchAlerted)),6:0.000}  {Watch.TruePositives + Watch.FalsePositives,6} {Watch.TruePositives,6}     {Watch.Precision,6:0.000}   (alerted instead: {WatchAlerted})");
        text.AppendLine();
        text.AppendLine("labelled category          TP   FP   FN   TN");
        foreach (var (name, c) in ByCategory.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Line($"{name,-24} {c.TruePositives,4} {c.FalsePositives,4} {c.FalseNegatives,4} {c.TrueNegatives,4}");
        }

        text.AppendLine();
        text.AppendLine("source type                TP   FP   FN   TN   precision  recall");
        foreach (var (name, c) in BySourceType.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Line($"{name,-24} {c.TruePositives,4} {c.FalsePositives,4} {c.FalseNegatives,4} {c.TrueNegatives,4}      {c.Precision,6:0.000}  {c.Recall,6:0.000}");
        }

        text.AppendLine();
        text.AppendLine("evasion (must-alert)     found / total");
        foreach (var (name, c) in ByEvasion.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Line($"{name,-22} {c.TruePositives,4} / {c.TruePositives + c.FalseNegatives}");
        }

        text.AppendLine();
        text.AppendLine("severity " + string.Join("  ", Severities.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key.Name()} {s.Value}"))));
        text.AppendLine();
        foreach (var (post, result) in errors ? Errors : [])
        {
            var what = post.Alert ? "missed" : post.Watch ? (result.IsAlert ? "rumour alerted" : "rumour not watched") : "false alarm";
            Line($"{what} {post.Id} [{post.Category}/{post.Evasion}/{post.SourceType}] {result.Severity.Name()} {result.Score:0.00} {string.Join(",", result.Categories)}: {post.Text}");
        }

        return text.ToString();
    }
}
