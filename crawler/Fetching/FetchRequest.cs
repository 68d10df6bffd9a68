using ExamNetWatch.Crawler.Sources;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>One page to fetch for a source: the URL, the source's scope and policy, and validators for a conditional GET.</summary>
/// <param name="ETag">The ETag of the last fetch of this URL; sent as If-None-Match.</param>
/// <param name="LastModified">The Last-Modified of the last fetch; sent as If-Modified-Since.</param>
public sealed record FetchRequest(Uri Url, CrawlScope Scope, SourcePolicy Policy, string? ETag = null, string? LastModified = null);
