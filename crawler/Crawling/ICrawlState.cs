namespace ExamNetWatch.Crawler.Crawling;

/// <summary>
/// What the crawler remembers of one thread between crawls: how many replies the board showed, the last page read
/// (every earlier page is full and was read), and that page's validators for a conditional GET.
/// </summary>
/// <param name="ReplyCount">Replies shown on the board at the last complete visit; null if not known.</param>
/// <param name="LastPageUrl">The last thread page read completely; a revisit starts there.</param>
public sealed record ThreadProgress(string ThreadId, int? ReplyCount, string? LastPageUrl, string? ETag, string? LastModified, DateTimeOffset UpdatedAt);

/// <summary>
/// What the crawler remembers of one board between crawls: the sweep of its history (every board page, oldest last)
/// and how far it got. A first crawl sweeps; later crawls read the newest pages, then carry an unfinished sweep on
/// from <paramref name="SweepNextPageUrl"/>, so a board of any size is covered in the end, one bounded crawl at a time.
/// </summary>
/// <param name="BoardUrl">The board's first page (the key).</param>
/// <param name="SweepNextPageUrl">The next board page the sweep reads; null once it is done.</param>
/// <param name="SweepDone">Whether every board page (or every page back to the sweep's date) has been read.</param>
/// <param name="PagesRead">Board pages the sweep has read.</param>
/// <param name="PagesTotal">How many pages the board's pager showed, if it shows it.</param>
/// <param name="Threads">Threads the sweep has visited.</param>
/// <param name="Posts">Posts the sweep has found.</param>
/// <param name="Elapsed">Time spent sweeping, summed over crawls (for an estimate of what is left).</param>
public sealed record BoardProgress(
    string BoardUrl,
    string? SweepNextPageUrl,
    bool SweepDone,
    int PagesRead,
    int? PagesTotal,
    int Threads,
    int Posts,
    TimeSpan Elapsed,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Gets the board page the newest-pages pass of a crawl was about to read when it was saved, while it was still
    /// finding new or changed threads: a crawl stopped (killed, out of budget) before that pass ended leaves it set, and
    /// the next crawl carries the pass on from it even if the first page brings nothing new. Null once a pass ended.
    /// </summary>
    public string? CatchUpPageUrl { get; init; }

    /// <summary>Estimates the time the sweep still needs at its pace so far, when the board's page count is known.</summary>
    public TimeSpan? Remaining => SweepDone ? TimeSpan.Zero
        : PagesTotal is { } total && PagesRead > 0 && total > PagesRead ? Elapsed / PagesRead * (total - PagesRead) : null;
}

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

    /// <summary>Returns what is known of a board's sweep, or null (never crawled: the crawl sweeps it).</summary>
    Task<BoardProgress?> GetBoardAsync(int sourceId, string boardUrl, CancellationToken cancellationToken);

    /// <summary>Records a board's sweep progress (after the page's threads have been read).</summary>
    Task SaveBoardAsync(int sourceId, BoardProgress progress, CancellationToken cancellationToken);
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

    /// <inheritdoc />
    public Task<BoardProgress?> GetBoardAsync(int sourceId, string boardUrl, CancellationToken cancellationToken) => Task.FromResult<BoardProgress?>(null);

    /// <inheritdoc />
    public Task SaveBoardAsync(int sourceId, BoardProgress progress, CancellationToken cancellationToken) => Task.CompletedTask;
}
