namespace ExamNetWatch.Indexer.Detection;

/// <summary>How urgent a post is. An alert is raised at <see cref="Medium"/> and above.</summary>
public enum Severity
{
    None = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

/// <summary>Names and thresholds of <see cref="Severity"/>.</summary>
public static class SeverityScale
{
    /// <summary>Maps a score in [0, 1] to a severity.</summary>
    public static Severity FromScore(double score) => score switch
    {
        >= 0.85 => Severity.Critical,
        >= 0.7 => Severity.High,
        >= 0.55 => Severity.Medium,
        >= 0.25 => Severity.Low,
        _ => Severity.None,
    };

    /// <summary>The lower-case name used in JSON and on the command line.</summary>
    public static string Name(this Severity severity) => severity switch
    {
        Severity.None => "none",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity)),
    };

    /// <summary>Parses a lower-case severity name.</summary>
    public static Severity Parse(string name) =>
        Enum.TryParse<Severity>(name, ignoreCase: true, out var severity) && Enum.IsDefined(severity)
            ? severity
            : throw new FormatException($"Unknown severity '{name}': use none, low, medium, high or critical.");
}
