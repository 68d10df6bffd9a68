namespace ExamNetWatch.Dashboard.Data;

/// <summary>A registered source: what may be crawled, on what schedule, and under which authorisations.</summary>
public sealed class Source
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Gets or sets the entry URLs (board or thread pages), one per line.</summary>
    public required string EntryUrls { get; set; }

    /// <summary>Gets or sets the allowed URL prefixes (scheme + host + path), one per line.</summary>
    public required string ScopePrefixes { get; set; }

    /// <summary>Gets or sets the crawl schedule as a Hangfire cron expression (seconds allowed).</summary>
    public required string Schedule { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the forum profile: <c>auto</c> (detected per page) or a profile name.</summary>
    public string Profile { get; set; } = "auto";

    /// <summary>Gets or sets whether the source may resolve to loopback/private addresses (the authority's own network, the demo).</summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>Gets or sets the minimum delay between two requests to the source's host, in seconds; null uses the default.</summary>
    public double? MinDelaySeconds { get; set; }

    /// <summary>Gets or sets whether robots.txt is ignored for this source (an explicit override; see <see cref="IgnoreRobotsReason"/>).</summary>
    public bool IgnoreRobots { get; set; }

    /// <summary>Gets or sets why robots.txt is ignored, as recorded by whoever set the override.</summary>
    public string? IgnoreRobotsReason { get; set; }

    /// <summary>Gets or sets whether the source is crawled every minute while an exam slot is in progress.</summary>
    public bool ExamCritical { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? LastCrawlAtUtc { get; set; }

    /// <summary>
    /// Gets or sets how far back a sweep of the source's boards reads (UTC; the start of a Beijing day): threads last
    /// active earlier are not read. Null: the whole history. Set when staff start a sweep from the source page.
    /// </summary>
    public DateTime? SweepSinceUtc { get; set; }

    /// <summary>Gets or sets a one-line outcome of the last crawl, shown to staff.</summary>
    public string? LastCrawlResult { get; set; }

    public List<SourceAuthorisation> Authorisations { get; set; } = [];

    /// <summary>Gets or sets what the source is: a forum that is crawled, or a group chat whose exports are imported (<see cref="SourceKinds"/>).</summary>
    public string Kind { get; set; } = SourceKinds.Forum;

    /// <summary>Gets or sets the group's id in its chat (QQ group number, WeChat chatroom id), for a group-chat source.</summary>
    public string? ChatGroupId { get; set; }

    /// <summary>Gets or sets the member of the group who exports its history under the authorisation, for a group-chat source.</summary>
    public string? ChatMember { get; set; }

    /// <summary>Gets whether the source is a group chat (imported from exports, never crawled).</summary>
    public bool IsChat => Kind != SourceKinds.Forum;

    /// <summary>Splits a one-per-line field.</summary>
    public static IReadOnlyList<string> Lines(string value) =>
        value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Returns the authorisation in force at <paramref name="nowUtc"/>, if any.</summary>
    public SourceAuthorisation? AuthorisationAt(DateTime nowUtc) =>
        Authorisations.Where(a => a.CoversAt(nowUtc)).OrderByDescending(a => a.ValidUntilUtc).FirstOrDefault();
}

/// <summary>The kinds of source.</summary>
public static class SourceKinds
{
    /// <summary>A forum, board or news site, crawled.</summary>
    public const string Forum = "forum";

    /// <summary>A QQ group, imported from a member's exports.</summary>
    public const string QqGroup = "qq-group";

    /// <summary>A WeChat group, imported from a member's exports.</summary>
    public const string WeChatGroup = "wechat-group";

    /// <summary>Gets every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Forum, QqGroup, WeChatGroup];
}
