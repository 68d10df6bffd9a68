namespace ExamNetWatch.Crawler.Sources;

/// <summary>How a source is fetched, beyond its scope; each departure from the defaults is recorded and audited on the source.</summary>
/// <param name="AllowPrivateNetwork">Allow loopback/private addresses (a source on the authority's own network, the demo, tests).</param>
/// <param name="MinDelay">Minimum delay between two requests to the source's host; null uses the fetcher default.</param>
/// <param name="IgnoreRobots">Do not obey robots.txt (an explicit, audited override by the authority).</param>
public sealed record SourcePolicy(bool AllowPrivateNetwork = false, TimeSpan? MinDelay = null, bool IgnoreRobots = false)
{
    /// <summary>Gets the default policy: public addresses only, default politeness, robots.txt obeyed.</summary>
    public static SourcePolicy Default { get; } = new();
}
