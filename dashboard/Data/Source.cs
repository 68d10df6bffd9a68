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

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? LastCrawlAtUtc { get; set; }

    /// <summary>Gets or sets a one-line outcome of the last crawl, shown to staff.</summary>
    public string? LastCrawlResult { get; set; }

    public List<SourceAuthorisation> Authorisations { get; set; } = [];

    /// <summary>Splits a one-per-line field.</summary>
    public static IReadOnlyList<string> Lines(string value) =>
        value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Returns the authorisation in force at <paramref name="nowUtc"/>, if any.</summary>
    public SourceAuthorisation? AuthorisationAt(DateTime nowUtc) =>
        Authorisations.Where(a => a.ValidFromUtc <= nowUtc && nowUtc < a.ValidUntilUtc).OrderByDescending(a => a.ValidUntilUtc).FirstOrDefault();
}
