using ExamNetWatch.Crawler.Captures;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>A post as the crawler hands it on: where it was found, what it says, and which capture backs it.</summary>
/// <param name="StableId">Source + thread + post, e.g. <c>s1-t12-p345</c>; the same post always gets the same id.</param>
/// <param name="PageUrl">The thread page the post was read from.</param>
/// <param name="Capture">The WARC record of that page.</param>
public sealed record CrawledPost(
    string StableId,
    int SourceId,
    string ThreadId,
    string PostId,
    Uri PageUrl,
    string ThreadTitle,
    string? Author,
    int? Floor,
    DateTimeOffset? PostedAt,
    string Text,
    string Html,
    DateTimeOffset FetchedAt,
    CaptureRef Capture)
{
    /// <summary>Gets the forum's own id of the author, if the page shows it.</summary>
    public string? AuthorId { get; init; }

    /// <summary>Gets the thread's own address (its first page, as the profile names it), the same for every page of the thread.</summary>
    public Uri? ThreadUrl { get; init; }

    /// <summary>Gets whether the post is a message of a group chat (imported from an export): its thread title is the group's name, not words of the post.</summary>
    public bool Chat { get; init; }

    /// <summary>Builds the stable id of a post.</summary>
    public static string MakeStableId(int sourceId, string threadId, string postId) =>
        FormattableString.Invariant($"s{sourceId}-t{threadId}-p{postId}");
}
