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
public sealed class ForumCrawler(
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
    public async Task<CrawlReport> CrawlAsync(CrawlTarget target, ICrawlSink sink, ICrawlState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(state);
        var run = new Run(this, target, sink, state, ProfileRegistry.Named(target.Profile));
        foreach (var entry in target.EntryUrls)
        {
            await run.EntryAsync(entry, cancellationToken);
        }

        Log.Crawled(_logger, target.Name, run.Pages, run.Posts, run.Failures.Count);
        foreach (var limit in run.Limits)
        {
            Log.LimitReached(_logger, target.Name, limit.Setting, limit.Value, limit.Times);
        }

        return new CrawlReport(target.SourceId, run.Pages, run.Posts, run.Failures, run.Refusals) { ThreadsUnchanged = run.Unchanged, LimitsReached = run.Limits };
    }

    private sealed class Run(ForumCrawler crawler, CrawlTarget target, ICrawlSink sink, ICrawlState state, IForumProfile? forced)
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

        private async Task BoardAsync(IForumProfile profile, Uri url, BoardPage board, CancellationToken cancellationToken)
        {
            for (var page = 1; ; page++)
            {
                if (board.Threads.Count == 0 && board.Boards.Count == 0)
                {
                    Fail(url, $"no thread or board links found with the {profile.Name} profile");
                }

                // The boards an index or sub-forum list leads to are read after this one.
                foreach (var link in board.Boards)
                {
                    if (!target.Scope.Allows(link))
                    {
                        Refusals.Add(new CrawlFailure(link, "outside the source's authorised scope"));
                    }
                    else if (_visitedBoards.Count >= crawler._options.MaxBoards)
                    {
                        if (!_visitedBoards.Contains(link.AbsoluteUri) && _boardsLeft.Add(link.AbsoluteUri))
                        {
                            Reached("Crawler:MaxBoards", crawler._options.MaxBoards, link);
                        }
                    }
                    else if (_visitedBoards.Add(link.AbsoluteUri))
                    {
                        _pendingBoards.Enqueue(link);
                    }
                }

                foreach (var thread in board.Threads)
                {
                    if (_visitedThreads.Count >= crawler._options.MaxThreads)
                    {
                        Reached("Crawler:MaxThreads", crawler._options.MaxThreads, thread.Url);
                        return;
                    }

                    if (!target.Scope.Allows(thread.Url))
                    {
                        Refusals.Add(new CrawlFailure(thread.Url, "outside the source's authorised scope"));
                        continue;
                    }

                    await ThreadAsync(profile, thread.Url, thread.Replies, cancellationToken);
                }

                if (board.NextPage is not null && page >= crawler._options.MaxBoardPages)
                {
                    Reached("Crawler:MaxBoardPages", crawler._options.MaxBoardPages, board.NextPage);
                    return;
                }

                if (board.NextPage is null || await FetchAsync(board.NextPage, null, null, cancellationToken) is not { } next || !IsOk(next.Page))
                {
                    return;
                }

                using var document = await _parser.ParseDocumentAsync(next.Page.Html, cancellationToken);
                (url, board) = (next.Page.Url, profile.ParseBoard(document, next.Page.Url));
            }
        }

        private async Task ThreadPageAsync(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, AngleSharp.Dom.IDocument document, CancellationToken cancellationToken)
        {
            if (Parse(profile, fetched, document) is not { } thread || !_visitedThreads.Add(thread.ThreadId))
            {
                return;
            }

            await DeliverAsync(profile, fetched, thread, cancellationToken);
            if (thread.NextPage is not null)
            {
                // An entry page that is itself a thread's first page: the rest of the thread is read as any thread's.
                await PagesAsync(profile, thread.ThreadId, thread.NextPage, replies: null, await state.GetThreadAsync(target.SourceId, thread.ThreadId, cancellationToken), cancellationToken);
            }
        }

        private async Task ThreadAsync(IForumProfile? profile, Uri url, int? replies, CancellationToken cancellationToken)
        {
            if (ProfileRegistry.ThreadIdOf(url, profile) is not { } tid || !_visitedThreads.Add(tid))
            {
                return;
            }

            var known = await state.GetThreadAsync(target.SourceId, tid, cancellationToken);
            if (known is not null && replies is not null && known.ReplyCount == replies)
            {
                Unchanged++;
                return;
            }

            await PagesAsync(profile, tid, url, replies, known, cancellationToken);
        }

        /// <summary>Reads a thread's pages from <paramref name="url"/> (or, for a known thread, from its last page read), saving progress after each.</summary>
        private async Task PagesAsync(IForumProfile? profile, string tid, Uri url, int? replies, ThreadProgress? known, CancellationToken cancellationToken)
        {
            // Earlier pages of a known thread are full and were read; start again from the last one.
            Uri? next = known?.LastPageUrl is { } last ? new Uri(last) : url;
            var (etag, lastModified) = (known?.ETag, known?.LastModified);
            for (var page = 0; next is not null && page < crawler._options.MaxThreadPages; page++)
            {
                if (await FetchAsync(next, etag, lastModified, cancellationToken) is not { } fetched)
                {
                    return;
                }

                (etag, lastModified) = (null, null);
                if (fetched.Page.StatusCode == 304)
                {
                    await SaveAsync(tid, replies, known!.LastPageUrl, known.ETag, known.LastModified, cancellationToken);
                    return;
                }

                if (!IsOk(fetched.Page))
                {
                    return;
                }

                ThreadPage? thread;
                using (var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken))
                {
                    profile ??= ProfileRegistry.Detect(document, fetched.Page.Url).Profile;
                    thread = profile is null ? null : Parse(profile, fetched, document);
                    if (profile is null)
                    {
                        Fail(fetched.Page.Url, "no forum profile reads this page; kept raw in " + fetched.Capture.WarcFile);
                    }
                }

                if (thread is null)
                {
                    return;
                }

                await DeliverAsync(profile!, fetched, thread, cancellationToken);
                next = thread.NextPage;
                // The reply count is only recorded once the last page is read, so a crawl stopped halfway resumes.
                await SaveAsync(tid, next is null ? replies : known?.ReplyCount, fetched.Page.Url.AbsoluteUri, fetched.Page.Header("ETag"), fetched.Page.Header("Last-Modified"), cancellationToken);
                if (next is not null && page + 1 >= crawler._options.MaxThreadPages)
                {
                    Reached("Crawler:MaxThreadPages", crawler._options.MaxThreadPages, next);
                }
            }
        }

        private async Task DeliverAsync(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, ThreadPage thread, CancellationToken cancellationToken)
        {
            var threadUrl = profile.ThreadUrlOf(fetched.Page.Url);
            foreach (var post in thread.Posts)
            {
                Posts++;
                KillPoint.Reach("crawl.post-handing-over");
                await sink.AcceptAsync(ToCrawledPost(fetched, thread, post) with { ThreadUrl = threadUrl }, cancellationToken);
            }
        }

        private ThreadPage? Parse(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, AngleSharp.Dom.IDocument document)
        {
            try
            {
                return profile.ParseThread(document, fetched.Page.Url);
            }
            catch (FormatException ex)
            {
                Log.ParseFailed(crawler._logger, fetched.Page.Url, profile.Name);
                Fail(fetched.Page.Url, ex.Message + " Kept raw in " + fetched.Capture.WarcFile + ".");
                return null;
            }
        }

        private CrawledPost ToCrawledPost((FetchedPage Page, CaptureRef Capture) fetched, ThreadPage thread, ExtractedPost post) => new(
            CrawledPost.MakeStableId(target.SourceId, thread.ThreadId, post.PostId),
            target.SourceId,
            thread.ThreadId,
            post.PostId,
            fetched.Page.Url,
            thread.Title,
            post.Author,
            post.Floor,
            post.PostedAt,
            post.Text,
            post.Html,
            fetched.Page.FetchedAt,
            fetched.Capture)
        {
            AuthorId = post.AuthorId,
        };

        private Task SaveAsync(string tid, int? replies, string? lastPage, string? etag, string? lastModified, CancellationToken cancellationToken) =>
            state.SaveThreadAsync(target.SourceId, new ThreadProgress(tid, replies, lastPage, etag, lastModified, crawler._time.GetUtcNow()), cancellationToken);

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
