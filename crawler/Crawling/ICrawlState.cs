namespace ExamNetWatch.Crawler.Crawling;

/// <summary>
/// What the crawler remembers of one thread between crawls: how many replies the board showed, the last page read
/// (every earlier page is full and was read), and that page's validators for a conditional GET.
/// </summary>
/// <param name="ReplyCount">Replies shown on the board at the last complete visit; null if not known.</param>
/// <param name="LastPageUrl">The last thread page read completely; a revisit starts there.</param>
public sealed record ThreadProgress(string ThreadId, int? ReplyCount, string? LastPageUrl, string? ETag, string? LastModified, DateTimeOffset UpdatedAt);

/// <summary>
/// The crawl's memory, kept in the database by the host: a thread is revisited only when the board shows it changed,
/// and from its last page; state is saved after each page, so a killed crawl resumes without losing or repeating posts.
/// </summary>
public interface ICrawlState
{
    /// <summary>Returns what is known of a thread, or null.</summary>
    Task<ThreadProgress?> GetThreadAsync(int sourceId, string threadId, CancellationToken cancellationToken);

    /// <summary>Records progress on a thread (after its posts have been handed to the sink).</summary>
    Task SaveThreadAsync(int sourceId, ThreadProgress state, CancellationToken cancellationToken);
}

/// <summary>No memory: every crawl reads everything (one-shot scans).</summary>
public sealed class NoCrawlState : ICrawlState
{
    /// <summary>Gets the shared instance.</summary>
    public static NoCrawlState Instance { get; } = new();

    /// <inheritdoc />
    public Task<ThreadProgress?> GetThreadAsync(int sourceId, string threadId, CancellationToken cancellationToken) => Task.FromResult<ThreadProgress?>(null);

    /// <inheritdoc />
    public Task SaveThreadAsync(int sourceId, ThreadProgress state, CancellationToken cancellationToken) => Task.CompletedTask;
}
