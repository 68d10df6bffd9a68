using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>
/// Walks one authorised source: board pages → thread links → thread pages, keeps a WARC capture of every page, and
/// hands each post to the sink. A board index (or a board's sub-forums) leads to more boards, read one after the other
/// within the scope, up to <see cref="CrawlerOptions.MaxBoards"/>; a thread named by any of its pages is read from its
/// first. With a crawl state, a thread is revisited only when the board shows new replies,
/// from its last page on, and progress is saved after each page. A page that cannot be fetched or parsed is reported
/// and skipped; it does not stop the crawl.
/// </summary>
public sealed partial class ForumCrawler(
    IPageFetcher fetcher,
    ICaptureWriter captures,
    TimeProvider time,
    IOptions<CrawlerOptions> options,
    ILogger<ForumCrawler> logger)
{
    private readonly IPageFetcher _fetcher = fetcher;
    private readonly ICaptureWriter _captures = captures;
    private readonly TimeProvider _time = time;
    private readonly ILogger<ForumCrawler> _logger = logger;
    private readonly CrawlerOptions _options = options.Value;

    /// <summary>Crawls <paramref name="target"/> once, reading everything.</summary>
    public Task<CrawlReport> CrawlAsync(CrawlTarget target, ICrawlSink sink, CancellationToken cancellationToken) =>
        CrawlAsync(target, sink, NoCrawlState.Instance, cancellationToken);

    /// <summary>Crawls <paramref name="target"/> once, reading only what changed since <paramref name="state"/> last saw it.</summary>
    public Task<CrawlReport> CrawlAsync(CrawlTarget target, ICrawlSink sink, ICrawlState state, CancellationToken cancellationToken) =>
        CrawlAsync(target, sink, state, null, cancellationToken);

    /// <summary>Crawls as above, telling <paramref name="progress"/> after each board page a sweep reads (pages, posts, what is left).</summary>
    public async Task<CrawlReport> CrawlAsync(CrawlTarget target, ICrawlSink sink, ICrawlState state, Action<CrawlProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(state);
        var run = new Run(this, target, sink, state, ProfileRegistry.Named(target.Profile), progress);
        foreach (var entry in target.EntryUrls)
        {
            await run.EntryAsync(entry, cancellationToken);
        }

        Log.Crawled(_logger, target.Name, run.Pages, run.Posts, run.Failures.Count);
        foreach (var limit in run.Limits)
        {
            Log.LimitReached(_logger, target.Name, limit.Setting, limit.Value, limit.Times);
        }

        return new CrawlReport(target.SourceId, run.Pages, run.Posts, run.Failures, run.Refusals) { ThreadsUnchanged = run.Unchanged, LimitsReached = run.Limits, Sweeps = run.Sweeps };
    }

    private sealed partial class Run(ForumCrawler crawler, CrawlTarget target, ICrawlSink sink, ICrawlState state, IForumProfile? forced, Action<CrawlProgress>? progress)
    {
        private readonly HtmlParser _parser = new();
        private readonly HashSet<string> _visitedThreads = new(StringComparer.Ordinal);
        private readonly HashSet<string> _visitedBoards = new(StringComparer.Ordinal);
        private readonly Queue<Uri> _pendingBoards = new();
        private readonly HashSet<string> _boardsLeft = new(StringComparer.Ordinal);

        public List<CrawlFailure> Failures { get; } = [];

        public List<CrawlFailure> Refusals { get; } = [];

        /// <summary>Gets the bounds reached, in the order first reached.</summary>
        public List<CrawlLimit> Limits { get; } = [];

        private void Reached(string setting, int value, Uri unread)
        {
            var at = Limits.FindIndex(l => l.Setting == setting);
            if (at < 0)
            {
                Limits.Add(new CrawlLimit(setting, value, 1, unread));
            }
            else
            {
                Limits[at] = Limits[at] with { Times = Limits[at].Times + 1 };
            }
        }

        public int Pages { get; private set; }

        public int Posts { get; private set; }

        public int Unchanged { get; private set; }

        public async Task EntryAsync(Uri url, CancellationToken cancellationToken)
        {
            // A thread entry is read from its first page (a known one resumes from its last page read); anything else
            // is fetched to see what it is.
            if (ProfileRegistry.ThreadOf(url, forced) is { } named)
            {
                await ThreadAsync(forced, named.Profile.ThreadUrlOf(url), replies: null, cancellationToken);
                return;
            }

            _visitedBoards.Add(url.AbsoluteUri);
            await PageAsync(url, forced, cancellationToken);
            while (_pendingBoards.TryDequeue(out var board) && _visitedThreads.Count < crawler._options.MaxThreads)
            {
                await PageAsync(board, forced, cancellationToken);
            }
        }

        private async Task PageAsync(Uri url, IForumProfile? only, CancellationToken cancellationToken)
        {
            if (await FetchAsync(url, null, null, cancellationToken) is not { } fetched || !IsOk(fetched.Page))
            {
                return;
            }

            using var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken);
            var (profile, kind) = ProfileRegistry.Detect(document, fetched.Page.Url, only);
            switch (kind)
            {
                case PageKind.Board:
                    await BoardAsync(profile!, fetched.Page.Url, profile!.ParseBoard(document, fetched.Page.Url), cancellationToken);
                    break;
                case PageKind.Thread:
                    await ThreadPageAsync(profile!, fetched, document, cancellationToken);
                    break;
                default:
                    Log.ParseFailed(crawler._logger, fetched.Page.Url, forced?.Name ?? "auto");
                    Fail(fetched.Page.Url, "no forum profile reads this page; kept raw in " + fetched.Capture.WarcFile);
                    break;
            }
        }

        private bool IsOk(FetchedPage page)
        {
            if (page.StatusCode is >= 200 and < 300)
            {
                return true;
            }

            Fail(page.Url, $"HTTP {page.StatusCode}");
            return false;
        }

        private async Task<(FetchedPage Page, CaptureRef Capture)?> FetchAsync(Uri url, string? etag, string? lastModified, CancellationToken cancellationToken)
        {
            if (Pages >= crawler._options.MaxPages)
            {
                // Not a failure: the rest waits for the next crawl (or a higher setting), and the report says so.
                Reached("Crawler:MaxPages", crawler._options.MaxPages, url);
                return null;
            }

            try
            {
                var page = await crawler._fetcher.FetchAsync(new FetchRequest(url, target.Scope, target.Policy, etag, lastModified), cancellationToken);
                Pages++;
                KillPoint.Reach("crawl.page-fetched");
                return (page, await crawler._captures.SaveAsync(page, cancellationToken));
            }
            catch (OutOfScopeException ex)
            {
                Refusals.Add(new CrawlFailure(ex.Url ?? url, ex.Message));
                return null;
            }
            catch (Exception ex) when (ex is NetworkRefusedException or RobotsRefusedException)
            {
                Refusals.Add(new CrawlFailure(url, ex.Message));
                return null;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or PageTooLargeException
                                           or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
            {
                Log.FetchFailed(crawler._logger, url, ex);
                Fail(url, ex.Message);
                return null;
            }
        }

        private void Fail(Uri url, string reason) => Failures.Add(new CrawlFailure(url, reason));
    }
}
