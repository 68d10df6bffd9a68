namespace ExamNetWatch.Indexer.Detection;

/// <summary>A term found in a post. <see cref="Start"/>/<see cref="End"/> are UTF-16 offsets into the named field as given.</summary>
/// <param name="Field"><c>title</c> or <c>text</c>.</param>
/// <param name="Text">Exactly the slice [Start, End) of that field, evasions included.</param>
/// <param name="Term">The lexicon term it matched.</param>
public sealed record TermMatch(string Field, int Start, int End, string Text, string Term, string Category);

/// <summary>A contact found in a post: <c>qq</c>, <c>qq_group</c>, <c>wechat</c>, <c>phone</c> or <c>url</c>.</summary>
public sealed record ContactInfo(string Kind, string Value);

/// <summary>Why the score is what it is, one line per rule that fired.</summary>
public sealed record Explanation(string Rule, double Weight, string Detail);

/// <summary>The verdict on one post.</summary>
public sealed record DetectionResult(
    Severity Severity,
    double Score,
    IReadOnlyList<string> Categories,
    IReadOnlyList<TermMatch> Matches,
    IReadOnlyList<ContactInfo> Contacts,
    IReadOnlyList<Explanation> Explanations)
{
    /// <summary>Gets whether the post raises an alert (severity medium or above).</summary>
    public bool IsAlert => Severity >= Severity.Medium;
}
