using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>scan URL --authorisation REF</c>: a one-shot crawl of a board or thread with the auto-detected profile, judged by
/// the detection rules in force in the data directory (imported or edited there, else the shipped ones), printed as
/// one line per post; no database is opened. Pages are still captured as WARC (in a temporary folder unless
/// <c>--capture-dir</c> is given) and every refusal is reported.
/// </summary>
internal static class ScanCommand
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "Board, thread or article URL to scan" };
        var authorisation = new Option<string?>("--authorisation") { Description = "The written authorisation this scan is made under (document number); required" };
        var maxPages = new Option<int?>("--max-pages") { Description = "At most this many pages in all (default: Crawler__MaxPages if set, else 20)" };
        var maxBoardPages = new Option<int?>("--max-board-pages") { Description = "At most this many pages of a board listing (default: Crawler__MaxBoardPages if set, else 5)" };
        var maxBoards = new Option<int?>("--max-boards") { Description = "At most this many boards, when the URL is a board index or a board has sub-forums (default: Crawler__MaxBoards if set, else 200)" };
        var maxThreads = new Option<int?>("--max-threads") { Description = "At most this many threads (default: Crawler__MaxThreads if set, else 500)" };
        var maxThreadPages = new Option<int?>("--max-thread-pages") { Description = "At most this many pages of one thread (default: Crawler__MaxThreadPages if set, else 50)" };
        var allowPrivate = new Option<bool>("--allow-private-network") { Description = "Allow loopback/private addresses (a local or intranet forum)" };
        var scope = new Option<string[]>("--scope") { Description = "Allowed URL prefix (default: the URL's host and folder)", AllowMultipleArgumentsPerToken = true };
        var profile = new Option<string>("--profile") { Description = "Forum profile: auto, discuz, phpbb, tieba, article", DefaultValueFactory = _ => "auto" };
        var delay = new Option<double>("--delay") { Description = "Seconds between two requests to the host", DefaultValueFactory = _ => 2 };
        var captureDir = new Option<string?>("--capture-dir") { Description = "Where to keep the WARC captures and the scan's progress (default: a new temporary folder); a scan run again with the same folder resumes" };
        var since = new Option<string?>("--since") { Description = "Sweep a board back to this Beijing date (yyyy-MM-dd): older threads are not read (default: the whole history)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per post: url, thread_url, thread_id, title, author, published, text, detection" };
        var command = new Command("scan", "Crawl one board or thread once and judge its posts, without a database (needs --authorisation)")
        {
            url, authorisation, maxPages, maxBoardPages, maxBoards, maxThreads, maxThreadPages, allowPrivate, scope, profile, delay, captureDir, since, json,
        };
        command.SetAction(async (r, ct) =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValue(authorisation)))
            {
                await Console.Error.WriteLineAsync("scan: refused — name the written authorisation this scan is made under with --authorisation \"REF\" (e.g. 赣考院中〔2019〕3号). Only authorised sources may be crawled.");
                return 2;
            }

            if (!Uri.TryCreate(r.GetValue(url), UriKind.Absolute, out var start) || start.Scheme is not ("http" or "https"))
            {
                await Console.Error.WriteLineAsync($"scan: '{r.GetValue(url)}' is not an absolute http(s) URL");
                return 2;
            }

            DateTimeOffset? from = null;
            if (r.GetValue(since) is { } date)
            {
                if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    await Console.Error.WriteLineAsync($"scan: --since '{date}' is not a date like 2026-01-31 (Beijing time)");
                    return 2;
                }

                from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
            }

            var prefixes = r.GetValue(scope) is { Length: > 0 } given ? given : [new Uri(start, "./").AbsoluteUri];
            var options = new ScanOptions(
                start,
                r.GetValue(authorisation)!,
                CrawlScope.Parse(prefixes),
                new SourcePolicy(r.GetValue(allowPrivate), TimeSpan.FromSeconds(Math.Max(0, r.GetValue(delay)))),
                r.GetValue(profile)!,
                new Dictionary<string, int?>
                {
                    ["Crawler:MaxPages"] = r.GetValue(maxPages),
                    ["Crawler:MaxBoardPages"] = r.GetValue(maxBoardPages),
                    ["Crawler:MaxBoards"] = r.GetValue(maxBoards),
                    ["Crawler:MaxThreads"] = r.GetValue(maxThreads),
                    ["Crawler:MaxThreadPages"] = r.GetValue(maxThreadPages),
                },
                r.GetValue(captureDir) ?? Path.Combine(Path.GetTempPath(), "examnetwatch-scan-" + Guid.NewGuid().ToString("N")),
                r.GetValue(json))
            {
                DataDir = r.GetValue(CommandLine.DataDir)!,
                Since = from,
            };
            await using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
            return await RunAsync(options, stdout, Console.Error, ct);
        });
        return command;
    }

    /// <summary>Everything one scan needs.</summary>
    /// <param name="Limits">Crawler bounds given on the command line (configuration key → value; null: not given).</param>
    public sealed record ScanOptions(Uri Url, string Authorisation, CrawlScope Scope, SourcePolicy Policy, string Profile, IReadOnlyDictionary<string, int?> Limits, string CaptureDir, bool Json)
    {
        /// <summary>Gets the data directory whose settings and rules in force apply (the shipped rules where it holds none).</summary>
        public string DataDir { get; init; } = "data";

        /// <summary>Gets how far back a board's history is swept (null: all of it).</summary>
        public DateTimeOffset? Since { get; init; }
    }

    /// <summary>Runs the scan, writing posts to <paramref name="output"/> and the summary to <paramref name="summary"/>.</summary>
    public static async Task<int> RunAsync(ScanOptions options, TextWriter output, TextWriter summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(summary);
        // Every crawler setting: a scan's own default page budget, then appsettings and the environment
        // (Crawler__MaxBoardPages=20), then the command line. Captures go to the scan's folder, not the data directory.
        CliHost services;
        ForumCrawler crawler;
        try
        {
            services = CliHost.Build(
                options.DataDir,
                defaults: new Dictionary<string, string?> { ["Crawler:MaxPages"] = "20" },
                overrides: options.Limits.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => (string?)l.Value!.Value.ToString(CultureInfo.InvariantCulture)),
                capturesPath: options.CaptureDir);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            await summary.WriteLineAsync("scan: " + string.Join("; ", e.Failures));
            return 2;
        }

        await using var owned = services;
        crawler = services.GetRequiredService<ForumCrawler>();
        // The detector (rules, model, jieba's dictionary: about a second of CPU) is built while the first pages are
        // fetched and parsed; the first post waits for it. Rules that cannot be used stop the scan with exit code 2.
        var detector = Task.Run(services.GetRequiredService<PostDetector>, cancellationToken);
        var sink = new PrintingSink(detector, output, options.Json);
        var clock = Stopwatch.StartNew();
        var target = new CrawlTarget(0, options.Url.Host, [options.Url], options.Scope, options.Policy) { Profile = options.Profile, Since = options.Since };
        using var state = ScanState.Open(options.CaptureDir);
        if (state.Resumed)
        {
            await summary.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"scan: resuming from {Path.Combine(options.CaptureDir, ScanState.FileName)} ({state.Known.Threads} threads, {state.Known.Boards} boards known): unchanged threads are not read again, an unfinished sweep carries on"));
        }

        // A sweep says where it is after each board page: pages, posts and, when the board shows its page count, what is left.
        CrawlReport report;
        try
        {
            report = await crawler.CrawlAsync(target, sink, state, p => summary.WriteLine(ProgressLine(p)), cancellationToken);
            await detector;
        }
        catch (FormatException e) when (detector.IsFaulted)
        {
            await summary.WriteLineAsync($"scan: the detection rules in {services.Data.LexiconPath} cannot be used: {e.Message}");
            return 2;
        }

        clock.Stop();
        await summary.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"scan under {options.Authorisation}: {report.PagesFetched} pages, {sink.Posts} posts, {sink.Alerts} alerts, {report.Failures.Count} errors, {report.Refusals.Count} refusals, {report.LimitsReached.Count} limits reached, {clock.Elapsed.TotalSeconds:0.0} s; captures in {options.CaptureDir}"));
        foreach (var failure in report.Failures)
        {
            await summary.WriteLineAsync($"  error: {failure.Url} — {TerminalText.Clean(failure.Reason)}");
        }

        foreach (var refusal in report.Refusals)
        {
            await summary.WriteLineAsync($"  refused: {refusal.Url} — {TerminalText.Clean(refusal.Reason)}");
        }

        foreach (var sweep in report.Sweeps)
        {
            await summary.WriteLineAsync(sweep.SweepDone
                ? string.Create(CultureInfo.InvariantCulture, $"  sweep: {sweep.BoardUrl} done: {sweep.PagesRead} board pages, {sweep.Threads} threads, {sweep.Posts} posts")
                : string.Create(CultureInfo.InvariantCulture, $"  sweep: {sweep.BoardUrl} not finished: {sweep.PagesRead}{(sweep.PagesTotal is { } total ? " of " + total : string.Empty)} board pages read, next {sweep.SweepNextPageUrl}; run scan again with --capture-dir {options.CaptureDir} to carry on"));
        }

        foreach (var limit in report.LimitsReached)
        {
            // Crawler:MaxBoardPages is --max-board-pages here and Crawler__MaxBoardPages in the environment.
            var flag = "--max" + string.Concat(limit.Setting["Crawler:Max".Length..].Select(c => char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : c.ToString()));
            await summary.WriteLineAsync($"  limit: {limit} — not everything was read; raise it with {flag} or {limit.Setting.Replace(":", "__", StringComparison.Ordinal)}");
        }

        return 0;
    }

    /// <summary>One progress line of a sweep: board pages read (of how many), threads, posts, time left at this pace.</summary>
    internal static string ProgressLine(CrawlProgress progress)
    {
        var sweep = progress.Sweep;
        var pages = sweep.PagesTotal is { } total ? FormattableString.Invariant($"{sweep.PagesRead}/{total}") : FormattableString.Invariant($"{sweep.PagesRead}");
        var left = sweep.SweepDone ? "done" : sweep.Remaining is { } remaining ? FormattableString.Invariant($"about {Math.Ceiling(remaining.TotalMinutes)} min left") : "time left unknown (no page count)";
        return FormattableString.Invariant($"  progress: {sweep.BoardUrl} board page {pages}, {sweep.Threads} threads, {sweep.Posts} posts; this scan {progress.PagesFetched} pages, {progress.PostsFound} posts; {left}");
    }

    private sealed class PrintingSink(Task<PostDetector> building, TextWriter output, bool json) : ICrawlSink
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public int Posts { get; private set; }

        public int Alerts { get; private set; }

        public async Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
        {
            if (!_seen.Add(post.StableId))
            {
                return;
            }

            var detector = await building;
            var verdict = detector.Detect(post.Floor is null or 1 ? post.ThreadTitle : null, post.Text);
            Posts++;
            Alerts += verdict.IsAlert ? 1 : 0;
            var postUrl = new UriBuilder(post.PageUrl) { Fragment = "pid" + post.PostId }.Uri.AbsoluteUri;
            if (!json)
            {
                var excerpt = post.Text.Length > 60 ? post.Text[..60] + "…" : post.Text;
                await output.WriteLineAsync($"[{verdict.Severity.Name(),-8}] {TerminalText.Clean(post.ThreadTitle)} · {TerminalText.Clean(post.Author ?? "?")} · {TerminalText.Clean(excerpt)} · {postUrl}");
                return;
            }

            var buffer = new ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteString("url", postUrl);
                // The thread's own address, the same for each of its pages (phpBB &start=N, Discuz! page=N dropped).
                writer.WriteString("thread_url", (post.ThreadUrl ?? post.PageUrl).AbsoluteUri);
                writer.WriteString("thread_id", post.ThreadId);
                writer.WriteString("title", post.ThreadTitle);
                writer.WriteString("author", post.Author);
                if (post.PostedAt is { } published)
                {
                    writer.WriteString("published", published);
                }
                else
                {
                    writer.WriteNull("published");
                }

                writer.WriteString("text", post.Text);
                writer.WritePropertyName("detection");
                VerdictJson.Write(writer, post.StableId, verdict);
                writer.WriteEndObject();
            }

            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
    }
}
