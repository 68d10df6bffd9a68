using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>
/// Walks one authorised source: board pages → thread links → thread pages (all pages of each thread), keeps
/// a raw capture of every page, and hands each post to the sink. A page that cannot be fetched or parsed is
/// reported and skipped; it does not stop the crawl.
/// </summary>
public sealed class ForumCrawler(
    IPageFetcher fetcher,
    ICaptureStore captures,
    IOptions<CrawlerOptions> options,
    ILogger<ForumCrawler> logger)
{
    private readonly IPageFetcher _fetcher = fetcher;
    private readonly ICaptureStore _captures = captures;
    private readonly ILogger<ForumCrawler> _logger = logger;
    private readonly CrawlerOptions _options = options.Value;

    /// <summary>Crawls <paramref name="target"/> once.</summary>
    public async Task<CrawlReport> CrawlAsync(CrawlTarget target, ICrawlSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sink);
        var run = new Run(this, target, sink);
        foreach (var entry in target.EntryUrls)
        {
            if (DiscuzProfile.ThreadIdOf(entry) is not null)
            {
                await run.ThreadAsync(entry, cancellationToken);
            }
            else
            {
                await run.BoardAsync(entry, cancellationToken);
            }
        }

        Log.Crawled(_logger, target.Name, run.Pages, run.Posts, run.Failures.Count);
        return new CrawlReport(target.SourceId, run.Pages, run.Posts, run.Failures, run.Refusals);
    }

    private sealed class Run(ForumCrawler crawler, CrawlTarget target, ICrawlSink sink)
    {
        private readonly HtmlParser _parser = new();
        private readonly HashSet<string> _visitedThreads = new(StringComparer.Ordinal);

        public List<CrawlFailure> Failures { get; } = [];

        public List<CrawlFailure> Refusals { get; } = [];

        public int Pages { get; private set; }

        public int Posts { get; private set; }

        public async Task BoardAsync(Uri url, CancellationToken cancellationToken)
        {
            Uri? next = url;
            for (var page = 0; next is not null && page < crawler._options.MaxBoardPages; page++)
            {
                if (await FetchAsync(next, cancellationToken) is not { } fetched)
                {
                    return;
                }

                using var document = await _parser.ParseDocumentAsync(fetched.Html, cancellationToken);
                var board = DiscuzProfile.ParseBoard(document, fetched.Url);
                if (board.Threads.Count == 0)
                {
                    Fail(fetched.Url, "no thread links found (not a Discuz! board page?)");
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

                    await ThreadAsync(thread.Url, cancellationToken);
                }

                next = board.NextPage;
            }
        }

        public async Task ThreadAsync(Uri url, CancellationToken cancellationToken)
        {
            if (DiscuzProfile.ThreadIdOf(url) is { } tid && !_visitedThreads.Add(tid))
            {
                return;
            }

            Uri? next = url;
            for (var page = 0; next is not null && page < crawler._options.MaxThreadPages; page++)
            {
                if (await FetchAsync(next, cancellationToken) is not { } fetched)
                {
                    return;
                }

                ThreadPage thread;
                using (var document = await _parser.ParseDocumentAsync(fetched.Html, cancellationToken))
                {
                    try
                    {
                        thread = DiscuzProfile.ParseThread(document, fetched.Url);
                    }
                    catch (FormatException ex)
                    {
                        Log.ParseFailed(crawler._logger, fetched.Url, "Discuz!");
                        Fail(fetched.Url, ex.Message);
                        return;
                    }
                }

                foreach (var post in thread.Posts)
                {
                    Posts++;
                    await sink.AcceptAsync(
                        new CrawledPost(
                            CrawledPost.MakeStableId(target.SourceId, thread.ThreadId, post.PostId),
                            target.SourceId,
                            thread.ThreadId,
                            post.PostId,
                            fetched.Url,
                            thread.Title,
                            post.Author,
                            post.Floor,
                            post.PostedAt,
                            post.Text,
                            post.Html,
                            fetched.FetchedAt,
                            fetched.Capture),
                        cancellationToken);
                }

                next = thread.NextPage;
            }
        }

        private async Task<(Uri Url, string Html, DateTimeOffset FetchedAt, CaptureRef Capture)?> FetchAsync(Uri url, CancellationToken cancellationToken)
        {
            try
            {
                var page = await crawler._fetcher.FetchAsync(new FetchRequest(url, target.Scope, target.Policy), cancellationToken);
                Pages++;
                var sha = await crawler._captures.SaveAsync(page, cancellationToken);
                if (page.StatusCode is < 200 or >= 300)
                {
                    Fail(page.Url, $"HTTP {page.StatusCode}");
                    return null;
                }

                return (page.Url, page.Html, page.FetchedAt, sha);
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
