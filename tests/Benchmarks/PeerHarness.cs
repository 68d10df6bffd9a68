using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// The peer harness: serves a Discuz! X3.5 forum (<see cref="PeerForum"/>, from memory, on 127.0.0.1) and crawls it,
/// one after the other in one run, with the user's path — <c>examnetwatch scan</c> of the board, detection and WARC
/// capture on, politeness off — and with a minimal Scrapy spider (tests/Benchmarks/peer/discuz_spider.py, Debian's
/// python3-scrapy) one request at a time and with Scrapy's default concurrency. Prints pages/s, posts/s, CPU-s per
/// 1,000 pages, peak RSS and posts found for each, and the ratios.
/// Usage: dotnet run -c Release --project tests/Benchmarks -- peer [threads=400] [pages-per-thread=4] [rounds=1]
/// (installs nothing: `apt-get install python3-scrapy` first; without Scrapy only ExamNetWatch is measured).
/// With EXAMNETWATCH_PEER_SERVE_ONLY=1 it only serves the forum (for a profiler) and prints the board's address.
/// </summary>
internal static class PeerHarness
{
    public static async Task RunAsync(string[] args)
    {
        var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        var pagesPerThread = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        var forum = new PeerForum(threads, pagesPerThread);

        // Every page rendered once, served as bytes: the server's own work stays small and the same for every crawler.
        var pages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var p = 1; p <= forum.BoardPages; p++)
        {
            pages[Key("forumdisplay", 0, p)] = Encoding.UTF8.GetBytes(forum.Page("forumdisplay", 0, p));
        }

        for (var tid = 1; tid <= threads; tid++)
        {
            for (var p = 1; p <= pagesPerThread; p++)
            {
                pages[Key("viewthread", tid, p)] = Encoding.UTF8.GetBytes(forum.Page("viewthread", tid, p));
            }
        }

        var served = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/forum.php", (HttpRequest r) =>
        {
            var key = Key(r.Query["mod"], int.TryParse(r.Query["tid"], CultureInfo.InvariantCulture, out var t) ? t : 0, int.TryParse(r.Query["page"], CultureInfo.InvariantCulture, out var pg) ? pg : 1);
            served.AddOrUpdate(key, 1, (_, n) => n + 1);
            return pages.TryGetValue(key, out var body) ? Results.Bytes(body, "text/html; charset=utf-8") : Results.NotFound();
        });
        app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nAllow: /\n"));
        await app.StartAsync();
        var root = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        var board = new Uri(root, "forum.php?mod=forumdisplay&fid=2");
        Console.WriteLine(FormattableString.Invariant($"// forum: {forum.PageCount} pages ({forum.BoardPages} board pages, {threads} threads × {pagesPerThread} pages), {forum.PostCount} posts, {pages.Values.Average(b => b.Length) / 1024:0.0} KB a page on average; {Environment.ProcessorCount} cores"));

        if (Environment.GetEnvironmentVariable("EXAMNETWATCH_PEER_SERVE_ONLY") == "1")
        {
            // For a profiler: serve the forum until killed, crawl nothing.
            Console.WriteLine(board.AbsoluteUri);
            await Task.Delay(Timeout.Infinite);
        }

        var work = Path.Combine(Path.GetTempPath(), "enw-peer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var scrapy = HasScrapy();
        var results = new List<(string Name, Run Run)>();
        for (var round = 1; round <= rounds; round++)
        {
            var scan = Path.Combine(work, FormattableString.Invariant($"scan{round}"));
            results.Add(("ExamNetWatch scan (detect + WARC on)", await MeasureAsync(work, served, Path.Combine(work, "scan.jsonl"),
                [Path.Combine(AppContext.BaseDirectory, "examnetwatch"), "scan", board.AbsoluteUri, "--authorisation", "peer-harness", "--allow-private-network",
                 "--delay", "0", "--max-pages", "1000000", "--max-threads", "100000", "--max-thread-pages", "10000", "--json", "--capture-dir", scan, "--data-dir", Path.Combine(work, "data")])));
            if (scrapy)
            {
                foreach (var (name, settings) in new[] { ("Scrapy 2.8, 1 request at a time", new[] { "-s", "CONCURRENT_REQUESTS=1" }), ("Scrapy 2.8 defaults (16 / 8 per domain)", Array.Empty<string>()) })
                {
                    var items = Path.Combine(work, "items.jsonl");
                    File.Delete(items);
                    var run = await MeasureAsync(work, served, Path.Combine(work, "scrapy.out"),
                        [Python, "-m", "scrapy", "runspider", Path.Combine(AppContext.BaseDirectory, "peer", "discuz_spider.py"), "-a", "start=" + board.AbsoluteUri, "-O", items,
                         "-s", "LOG_LEVEL=WARNING", "-s", "ROBOTSTXT_OBEY=False", "-s", "TELNETCONSOLE_ENABLED=False", .. settings]);
                    results.Add((name, run with { Posts = File.Exists(items) ? File.ReadLines(items).Count() : 0 }));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("| crawler | pages | pages/s | posts/s | CPU-s per 1,000 pages | peak RSS | posts found |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, run) in results)
        {
            Console.WriteLine(FormattableString.Invariant($"| {name} | {run.Pages} | {run.Pages / run.Wall:0.0} | {run.Posts / run.Wall:0.0} | {run.Cpu * 1000 / run.Pages:0.0} | {run.RssKib / 1024.0:0} MiB | {run.Posts} of {forum.PostCount} |"));
        }

        if (scrapy)
        {
            var ours = results.Where(r => r.Name.StartsWith("ExamNetWatch", StringComparison.Ordinal)).Select(r => r.Run).ToList();
            var theirs = results.Where(r => r.Name.StartsWith("Scrapy 2.8, 1", StringComparison.Ordinal)).Select(r => r.Run).ToList();
            var rate = ours.Average(r => r.Pages / r.Wall) / theirs.Average(r => r.Pages / r.Wall);
            var cpu = ours.Average(r => r.Cpu / r.Pages) / theirs.Average(r => r.Cpu / r.Pages);
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"ExamNetWatch / Scrapy (1 at a time): {rate:0.00}× the pages/s, {cpu:0.00}× the CPU per page (target: ≥ 3× and < 1×)"));
        }
        else
        {
            Console.WriteLine("(Scrapy not found: apt-get install python3-scrapy to compare)");
        }

        await app.StopAsync();
        Directory.Delete(work, recursive: true);
    }

    // Debian's python3-scrapy is installed for Debian's Python, which another python3 on the PATH may not be.
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string Key(string? mod, int tid, int page) => string.Create(CultureInfo.InvariantCulture, $"{mod}/{tid}/{page}");

    private static bool HasScrapy()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(Python, "-c \"import scrapy\"") { RedirectStandardError = true, RedirectStandardOutput = true })!;
            probe.WaitForExit();
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs a crawler under measure.py (wall, CPU with children, peak RSS) and counts the pages the forum served it.</summary>
    private static async Task<Run> MeasureAsync(string work, ConcurrentDictionary<string, int> served, string stdout, string[] command)
    {
        served.Clear();
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, WorkingDirectory = work };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "peer", "measure.py"));
        start.ArgumentList.Add(stdout);
        foreach (var part in command)
        {
            start.ArgumentList.Add(part);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var last = errors.TrimEnd().Split('\n')[^1];
        using var measured = JsonDocument.Parse(last);
        var m = measured.RootElement;
        if (m.GetProperty("exit").GetInt32() != 0)
        {
            throw new InvalidOperationException("crawler failed: " + string.Join(' ', command) + "\n" + errors);
        }

        var posts = File.Exists(stdout) ? File.ReadLines(stdout).Count(l => l.Length > 0) : 0;
        return new Run(served.Values.Sum(), posts, m.GetProperty("wall").GetDouble(), m.GetProperty("cpu").GetDouble(), m.GetProperty("rss_kib").GetInt64());
    }

    private sealed record Run(int Pages, int Posts, double Wall, double Cpu, long RssKib);
}
