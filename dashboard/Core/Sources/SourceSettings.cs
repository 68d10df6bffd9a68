namespace ExamNetWatch.Dashboard.Sources;

/// <summary>What and how a source is crawled: its entry pages, scope, forum profile, schedule and politeness.</summary>
public sealed record SourceSettings(IReadOnlyList<string> EntryUrls, IReadOnlyList<string> ScopePrefixes, string Profile, string Schedule)
{
    public bool AllowPrivateNetwork { get; init; }

    public double? MinDelaySeconds { get; init; }

    /// <summary>Gets why robots.txt is to be ignored; null obeys it.</summary>
    public string? IgnoreRobotsReason { get; init; }

    public bool ExamCritical { get; init; }
}

/// <summary>A written authorisation to watch a source: its basis (document number), approver, scope and validity window.</summary>
public sealed record AuthorisationRegistration(string Basis, string ApprovedBy, string ScopeNote, DateTime ValidFromUtc, DateTime ValidUntilUtc, string RegisteredBy);
