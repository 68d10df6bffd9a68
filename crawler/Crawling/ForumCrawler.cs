using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>
/// Walks one authorised source: board pages → thread links → thread pages, keeps a WARC capture of every page, and
/// hands each post to the sink. With a crawl state, a thread is revisited only when the board shows new replies,
/// from its last page on, and progress is saved after each page. A page that cannot be fetched or parsed is reported
/// and skipped; it does not stop the crawl.
/// </summary>
public sealed class ForumCrawler(
    IPageFetcher fetcher,
    ICaptureStore captures,
    TimeProvider time,
    IOptions<CrawlerOptions> options,
    ILogger<ForumCrawler> logger)
{
    private readonly IPageFetcher _fetcher = fetcher;
    private readonly ICaptureStore _captures = captures;
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
        var run = new Run(this, target, sink, state);
        foreach (var entry in target.EntryUrls)
        {
            if (DiscuzProfile.ThreadIdOf(entry) is not null)
            {
                await run.ThreadAsync(entry, replies: null, cancellationToken);
            }
            else
            {
                await run.BoardAsync(entry, cancellationToken);
            }
        }

        Log.Crawled(_logger, target.Name, run.Pages, run.Posts, run.Failures.Count);
        return new CrawlReport(target.SourceId, run.Pages, run.Posts, run.Failures, run.Refusals) { ThreadsUnchanged = run.Unchanged };
    }

    private sealed class Run(ForumCrawler crawler, CrawlTarget target, ICrawlSink sink, ICrawlState state)
    {
        private readonly HtmlParser _parser = new();
        private readonly HashSet<string> _visitedThreads = new(StringComparer.Ordinal);

        public List<CrawlFailure> Failures { get; } = [];

        public List<CrawlFailure> Refusals { get; } = [];

        public int Pages { get; private set; }

        public int Posts { get; private set; }

        public int Unchanged { get; private set; }

        public async Task BoardAsync(Uri url, CancellationToken cancellationToken)
        {
            Uri? next = url;
            for (var page = 0; next is not null && page < crawler._options.MaxBoardPages; page++)
            {
                if (await FetchAsync(next, null, null, cancellationToken) is not { } fetched || !IsOk(fetched.Page))
                {
                    return;
                }

                using var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken);
                var board = DiscuzProfile.ParseBoard(document, fetched.Page.Url);
                if (board.Threads.Count == 0)
                {
                    Log.ParseFailed(crawler._logger, fetched.Page.Url, "Discuz! board");
                    Fail(fetched.Page.Url, "no thread links found (not a Discuz! board page?); kept raw in the capture");
                }

                foreach (var thread in board.Threads)
                {
                    if (_visitedThreads.Count >= crawler._options.MaxThreads)
                    {
                        return;
                    }

                    if (!target.Scope.Allows(thread.Url))
                    {
                        Refusals.Add(new CrawlFailure(thread.Url, "outside the source's authorised scope"));
                        continue;
                    }

                    await ThreadAsync(thread.Url, thread.Replies, cancellationToken);
                }

                next = board.NextPage;
            }
        }

        public async Task ThreadAsync(Uri url, int? replies, CancellationToken cancellationToken)
        {
            if (DiscuzProfile.ThreadIdOf(url) is not { } tid || !_visitedThreads.Add(tid))
            {
                return;
            }

            var known = await state.GetThreadAsync(target.SourceId, tid, cancellationToken);
            if (known is not null && replies is not null && known.ReplyCount == replies)
            {
                Unchanged++;
                return;
            }

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

                if (!IsOk(fetched.Page) || await ParseAsync(fetched) is not { } thread)
                {
                    return;
                }

                foreach (var post in thread.Posts)
                {
                    Posts++;
                    await sink.AcceptAsync(ToCrawledPost(fetched, thread, post), cancellationToken);
                }

                next = thread.NextPage;
                // The reply count is only recorded once the last page is read, so a crawl stopped halfway resumes.
                await SaveAsync(tid, next is null ? replies : known?.ReplyCount, fetched.Page.Url.AbsoluteUri, fetched.Page.Header("ETag"), fetched.Page.Header("Last-Modified"), cancellationToken);
            }
        }

        private async Task<ThreadPage?> ParseAsync((FetchedPage Page, CaptureRef Capture) fetched)
        {
            using var document = await _parser.ParseDocumentAsync(fetched.Page.Html);
            try
            {
                return DiscuzProfile.ParseThread(document, fetched.Page.Url);
            }
            catch (FormatException ex)
            {
                Log.ParseFailed(crawler._logger, fetched.Page.Url, "Discuz!");
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
            fetched.Capture);

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
            try
            {
                var page = await crawler._fetcher.FetchAsync(new FetchRequest(url, target.Scope, target.Policy, etag, lastModified), cancellationToken);
                Pages++;
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
