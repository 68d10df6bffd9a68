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

    private sealed class Run(ForumCrawler crawler, CrawlTarget target, ICrawlSink sink, ICrawlState state, IForumProfile? forced, Action<CrawlProgress>? progress)
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

        /// <summary>Gets the sweep progress of each board swept in this crawl, as last saved.</summary>
        public List<BoardProgress> Sweeps { get; } = [];

        private void Record(BoardProgress sweep)
        {
            var at = Sweeps.FindIndex(s => s.BoardUrl == sweep.BoardUrl);
            if (at < 0)
            {
                Sweeps.Add(sweep);
            }
            else
            {
                Sweeps[at] = sweep;
            }

            progress?.Invoke(new CrawlProgress(sweep, Pages, Posts));
        }

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

        /// <summary>
        /// Reads a board from <paramref name="url"/>, its first page. A board never crawled is swept: every page, oldest
        /// last (back to <see cref="CrawlTarget.Since"/>), its progress saved after each page. A board already swept is
        /// read from its newest page until a page brings nothing new; an unfinished sweep then carries on from where
        /// the last crawl stopped. <see cref="CrawlerOptions.MaxBoardPages"/> bounds the board pages of one crawl.
        /// </summary>
        private async Task BoardAsync(IForumProfile profile, Uri url, BoardPage board, CancellationToken cancellationToken)
        {
            var known = await state.GetBoardAsync(target.SourceId, url.AbsoluteUri, cancellationToken);
            var sweep = known ?? new BoardProgress(url.AbsoluteUri, null, false, 0, null, 0, 0, TimeSpan.Zero, crawler._time.GetUtcNow());
            var sweeping = known is null;
            var caughtUp = false;
            for (var pages = 1; ; pages++)
            {
                var started = crawler._time.GetTimestamp();
                var (posts, visited) = (Posts, _visitedThreads.Count);
                var page = await ThreadsOfAsync(profile, url, board, cancellationToken);
                if (sweeping)
                {
                    var done = board.NextPage is null || page.AllBeforeSince;
                    sweep = sweep with
                    {
                        SweepNextPageUrl = done ? null : board.NextPage!.AbsoluteUri,
                        SweepDone = done,
                        PagesRead = sweep.PagesRead + 1,
                        PagesTotal = board.PageCount ?? sweep.PagesTotal,
                        Threads = sweep.Threads + (_visitedThreads.Count - visited),
                        Posts = sweep.Posts + (Posts - posts),
                        Elapsed = sweep.Elapsed + crawler._time.GetElapsedTime(started),
                        UpdatedAt = crawler._time.GetUtcNow(),
                    };
                    if (page.Stopped)
                    {
                        // A page left halfway is read again by the next crawl (its threads read now are unchanged then).
                        return;
                    }

                    await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                    Record(sweep);
                    if (done)
                    {
                        return;
                    }
                }
                else if (page.Stopped)
                {
                    return;
                }

                var next = board.NextPage;
                if (!sweeping && !crawler._options.StopAtUnchangedPage)
                {
                    // Every crawl reads the board on, to its end or a bound (see CrawlerOptions.StopAtUnchangedPage).
                    if (next is null)
                    {
                        return;
                    }
                }
                else if (!sweeping && page.Changed > 0 && next is not null)
                {
                    // Still finding news: where this pass goes next is saved, so a crawl stopped before it gets there
                    // is carried on by the next one, whatever that one finds on the first page.
                    sweep = sweep with { CatchUpPageUrl = next.AbsoluteUri, UpdatedAt = crawler._time.GetUtcNow() };
                    await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                }
                else if (!sweeping)
                {
                    if (sweep.CatchUpPageUrl is { } catchUp && !caughtUp && catchUp != url.AbsoluteUri)
                    {
                        // An earlier crawl stopped while its newest-pages pass was still finding news: carry it on.
                        (next, caughtUp) = (new Uri(catchUp), true);
                    }
                    else
                    {
                        // The newest pages are read; an unfinished sweep carries on where it stopped.
                        if (sweep.CatchUpPageUrl is not null)
                        {
                            sweep = sweep with { CatchUpPageUrl = null, UpdatedAt = crawler._time.GetUtcNow() };
                            await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                        }

                        if (sweep.SweepDone || sweep.SweepNextPageUrl is null)
                        {
                            return;
                        }

                        (next, sweeping) = (new Uri(sweep.SweepNextPageUrl), true);
                    }
                }

                if (pages >= crawler._options.MaxBoardPages)
                {
                    Reached("Crawler:MaxBoardPages", crawler._options.MaxBoardPages, next!);
                    return;
                }

                if (await FetchAsync(next!, null, null, cancellationToken) is not { } fetched || !IsOk(fetched.Page))
                {
                    return;
                }

                using var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken);
                (url, board) = (fetched.Page.Url, profile.ParseBoard(document, fetched.Page.Url));
            }
        }

        /// <summary>Reads the threads of one board page (and queues the boards it leads to).</summary>
        private async Task<BoardPageRead> ThreadsOfAsync(IForumProfile profile, Uri url, BoardPage board, CancellationToken cancellationToken)
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

            var (changed, dated, old) = (0, 0, 0);
            foreach (var thread in board.Threads)
            {
                if (thread.LastActive is { } active)
                {
                    dated++;
                    if (target.Since is { } since && active < since)
                    {
                        // Older than the sweep reaches back: not read.
                        old++;
                        continue;
                    }
                }

                if (_visitedThreads.Count >= crawler._options.MaxThreads)
                {
                    Reached("Crawler:MaxThreads", crawler._options.MaxThreads, thread.Url);
                    return new BoardPageRead(changed, Stopped: true, AllBeforeSince: false);
                }

                if (!target.Scope.Allows(thread.Url))
                {
                    Refusals.Add(new CrawlFailure(thread.Url, "outside the source's authorised scope"));
                    continue;
                }

                changed += await ThreadAsync(profile, thread.Url, thread.Replies, cancellationToken) ? 1 : 0;
            }

            // A page whose every thread is dated and older than the sweep's date ends the sweep.
            return new BoardPageRead(changed, Stopped: false, AllBeforeSince: target.Since is not null && dated == board.Threads.Count && old == dated && dated > 0);
        }

        private readonly record struct BoardPageRead(int Changed, bool Stopped, bool AllBeforeSince);

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

        /// <summary>Reads a thread unless the board shows it unchanged; returns whether it was new or changed (so read).</summary>
        private async Task<bool> ThreadAsync(IForumProfile? profile, Uri url, int? replies, CancellationToken cancellationToken)
        {
            if (ProfileRegistry.ThreadIdOf(url, profile) is not { } tid || !_visitedThreads.Add(tid))
            {
                return false;
            }

            var known = await state.GetThreadAsync(target.SourceId, tid, cancellationToken);
            if (known is not null && replies is not null && known.ReplyCount == replies)
            {
                Unchanged++;
                return false;
            }

            await PagesAsync(profile, tid, url, replies, known, cancellationToken);
            return true;
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
