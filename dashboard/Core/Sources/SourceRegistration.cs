namespace ExamNetWatch.Dashboard.Sources;

/// <summary>What registering a source takes: the source, its scope and schedule, and the written authorisation behind it.</summary>
public sealed record SourceRegistration(
    string Name,
    IReadOnlyList<string> EntryUrls,
    IReadOnlyList<string> ScopePrefixes,
    string Basis,
    string ApprovedBy,
    string ScopeNote,
    DateTime ValidFromUtc,
    DateTime ValidUntilUtc,
    string RegisteredBy)
{
    /// <summary>Gets the forum profile: <c>auto</c> or a profile name.</summary>
    public string Profile { get; init; } = "auto";

    /// <summary>Gets the crawl schedule (cron, 5 fields, or 6 with seconds).</summary>
    public string Schedule { get; init; } = "0 */15 * * * *";

    public bool AllowPrivateNetwork { get; init; }

    public double? MinDelaySeconds { get; init; }

    /// <summary>Gets why robots.txt is to be ignored; null obeys it.</summary>
    public string? IgnoreRobotsReason { get; init; }

    public bool ExamCritical { get; init; }

    /// <summary>Gets the kind of source (<see cref="Data.SourceKinds"/>); a group chat has no entry, scope or schedule.</summary>
    public string Kind { get; init; } = Data.SourceKinds.Forum;

    /// <summary>Gets the group's id in its chat, for a group-chat source.</summary>
    public string? ChatGroupId { get; init; }

    /// <summary>Gets the member who exports the group's history, for a group-chat source.</summary>
    public string? ChatMember { get; init; }

    /// <summary>Gets what and how the source is crawled.</summary>
    public SourceSettings Settings => new(EntryUrls, ScopePrefixes, Profile, Schedule)
    {
        AllowPrivateNetwork = AllowPrivateNetwork,
        MinDelaySeconds = MinDelaySeconds,
        IgnoreRobotsReason = IgnoreRobotsReason,
        ExamCritical = ExamCritical,
    };

    /// <summary>Gets the written authorisation registered with the source.</summary>
    public AuthorisationRegistration Authorisation => new(Basis, ApprovedBy, ScopeNote, ValidFromUtc, ValidUntilUtc, RegisteredBy);

    /// <summary>A registration from its parts, as the dashboard's form gives them.</summary>
    public static SourceRegistration Of(string name, SourceSettings settings, AuthorisationRegistration authorisation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(authorisation);
        return new(name, settings.EntryUrls, settings.ScopePrefixes, authorisation.Basis, authorisation.ApprovedBy, authorisation.ScopeNote, authorisation.ValidFromUtc, authorisation.ValidUntilUtc, authorisation.RegisteredBy)
        {
            Profile = settings.Profile,
            Schedule = settings.Schedule,
            AllowPrivateNetwork = settings.AllowPrivateNetwork,
            MinDelaySeconds = settings.MinDelaySeconds,
            IgnoreRobotsReason = settings.IgnoreRobotsReason,
            ExamCritical = settings.ExamCritical,
        };
    }
}
