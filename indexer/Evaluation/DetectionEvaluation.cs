using System.Globalization;
using System.Text;
using System.Text.Json;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Evaluation;

/// <summary>A labelled post: whether it must alert, its category (term family, or negative context) and evasion class.</summary>
public sealed record LabelledPost(string Id, string? Title, string Text, bool Alert, string Category, string Evasion);

/// <summary>Counts of one slice of the set.</summary>
public sealed record Confusion(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Confusion Of(IEnumerable<(bool Expected, bool Predicted)> outcomes)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var (expected, predicted) in outcomes)
        {
            _ = (expected, predicted) switch
            {
                (true, true) => tp++,
                (false, true) => fp++,
                (true, false) => fn++,
                _ => tn++,
            };
        }

        return new Confusion(tp, fp, fn, tn);
    }
}

/// <summary>How detection does on a labelled set: overall, per category, per evasion class, and what it got wrong.</summary>
public sealed record EvaluationReport(
    Confusion Overall,
    IReadOnlyDictionary<string, Confusion> ByCategory,
    IReadOnlyDictionary<string, Confusion> ByEvasion,
    IReadOnlyList<(LabelledPost Post, DetectionResult Result)> Errors)
{
    /// <summary>Formats the report as a plain-text table.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"posts {Overall.TruePositives + Overall.FalsePositives + Overall.FalseNegatives + Overall.TrueNegatives}   precision {Overall.Precision:0.000}   recall {Overall.Recall:0.000}   F1 {Overall.F1:0.000}");
        text.AppendLine("category                 TP   FP   FN   TN");
        foreach (var (name, c) in ByCategory.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{name,-22} {c.TruePositives,4} {c.FalsePositives,4} {c.FalseNegatives,4} {c.TrueNegatives,4}");
        }

        text.AppendLine("evasion (must-alert)     found / total");
        foreach (var (name, c) in ByEvasion.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{name,-22} {c.TruePositives,4} / {c.TruePositives + c.FalseNegatives}");
        }

        foreach (var (post, result) in Errors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(post.Alert ? "missed" : "false alarm")} {post.Id} [{post.Category}/{post.Evasion}] {result.Severity.Name()} {result.Score:0.00}: {post.Text}");
        }

        return text.ToString();
    }
}

/// <summary>Runs detection over a labelled set.</summary>
public static class DetectionEvaluation
{
    /// <summary>Reads a labelled JSON Lines set: <c>{"id", "title"?, "text", "alert", "category", "evasion"?}</c>.</summary>
    /// <exception cref="FormatException">A line is not such an object; the message names the line.</exception>
    public static IEnumerable<LabelledPost> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LabelledPost post;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                post = new LabelledPost(
                    root.GetProperty("id").ToString(),
                    root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null,
                    root.GetProperty("text").GetString()!,
                    root.GetProperty("alert").GetBoolean(),
                    root.TryGetProperty("category", out var category) ? category.GetString() ?? "?" : "?",
                    root.TryGetProperty("evasion", out var evasion) ? evasion.GetString() ?? "none" : "none");
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"line {number}: expected {{\"id\", \"text\", \"alert\", \"category\"}} ({ex.Message})", ex);
            }

            yield return post;
        }
    }

    /// <summary>Judges every post and compares with its label.</summary>
    public static EvaluationReport Evaluate(IEnumerable<LabelledPost> posts, PostDetector detector)
    {
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(detector);
        var judged = posts.Select(p => (Post: p, Result: detector.Detect(p.Title, p.Text))).ToList();
        return new EvaluationReport(
            Confusion.Of(judged.Select(j => (j.Post.Alert, j.Result.IsAlert))),
            judged.GroupBy(j => j.Post.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Confusion.Of(g.Select(j => (j.Post.Alert, j.Result.IsAlert))), StringComparer.Ordinal),
            judged.Where(j => j.Post.Alert).GroupBy(j => j.Post.Evasion, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Confusion.Of(g.Select(j => (j.Post.Alert, j.Result.IsAlert))), StringComparer.Ordinal),
            [.. judged.Where(j => j.Post.Alert != j.Result.IsAlert)]);
    }
}
