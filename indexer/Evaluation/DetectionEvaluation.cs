using System.Text.Json;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Evaluation;

/// <summary>
/// A labelled post: whether it must alert, its category (an alert category, <c>leak_rumour</c> for a watch item, or the
/// kind of hard negative), its evasion class, and — for corpus items — its label (alert, watch, none), the type of the
/// source it was modelled on and the ids of those sources.
/// </summary>
public sealed record LabelledPost(string Id, string? Title, string Text, bool Alert, string Category, string Evasion)
{
    /// <summary>Gets <c>alert</c>, <c>watch</c> (a leak rumour) or <c>none</c>.</summary>
    public string Label { get; init; } = Alert ? "alert" : "none";

    /// <summary>Gets the type of the source the post was modelled on (news_report, forum_post…), or <c>?</c>.</summary>
    public string SourceType { get; init; } = "?";

    /// <summary>Gets the ids of the sources the post was modelled on.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Gets whether the post must be a watch item (a rumour of a leak).</summary>
    public bool Watch => Label == "watch";
}

/// <summary>Counts of one slice of the set.</summary>
public sealed record Confusion(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public int Total => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

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

/// <summary>Runs detection over a labelled set.</summary>
public static class DetectionEvaluation
{
    /// <summary>
    /// Reads a labelled JSON Lines set: <c>{"id", "title"?, "text", "alert", "category", "evasion"?, "label"?,
    /// "source_type"?, "sources"?}</c>.
    /// </summary>
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
                var alert = root.GetProperty("alert").GetBoolean();
                var label = root.TryGetProperty("label", out var labelValue) ? labelValue.GetString() ?? "" : alert ? "alert" : "none";
                if (label is not ("alert" or "watch" or "none") || (label == "alert") != alert)
                {
                    throw new InvalidOperationException("\"label\" must be alert, watch or none, and alert exactly when \"alert\" is true");
                }

                post = new LabelledPost(
                    root.GetProperty("id").ToString(),
                    root.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String ? title.GetString() : null,
                    root.GetProperty("text").GetString()!,
                    alert,
                    root.TryGetProperty("category", out var category) ? category.GetString() ?? "?" : "?",
                    root.TryGetProperty("evasion", out var evasion) ? evasion.GetString() ?? "none" : "none")
                {
                    Label = label,
                    SourceType = root.TryGetProperty("source_type", out var type) ? type.GetString() ?? "?" : "?",
                    Sources = root.TryGetProperty("sources", out var sources) && sources.ValueKind == JsonValueKind.Array
                        ? [.. sources.EnumerateArray().Select(s => s.GetString() ?? "?")]
                        : [],
                };
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"line {number}: expected {{\"id\", \"text\", \"alert\", \"category\"}} ({ex.Message})", ex);
            }

            yield return post;
        }
    }

    /// <summary>Reads a labelled JSON Lines file.</summary>
    /// <exception cref="FormatException">A line is malformed; the message names the file and the line.</exception>
    public static IReadOnlyList<LabelledPost> ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        try
        {
            return [.. Read(reader)];
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{Path.GetFileName(path)} {ex.Message}", ex);
        }
    }

    /// <summary>Judges every post and compares with its label.</summary>
    public static EvaluationReport Evaluate(IEnumerable<LabelledPost> posts, PostDetector detector, DetectionContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(posts);
        ArgumentNullException.ThrowIfNull(detector);
        return new EvaluationReport([.. posts.Select(p => (p, detector.Detect(p.Title, p.Text, context ?? DetectionContext.None)))]);
    }
}
