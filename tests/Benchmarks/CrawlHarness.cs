using System.Diagnostics;
using System.Globalization;
using System.Text;
using ExamNetWatch.Crawler;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Crawl throughput harness: crawls a generated Discuz!-style forum on 127.0.0.1 with politeness off and prints a table.
/// Usage: dotnet run -c Release --project tests/Benchmarks -- crawl [threads] [pages] [posts]
/// </summary>
internal static class CrawlHarness
{
public static async Task RunAsync(string[] args)
{
var threads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var pagesPerThread = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var postsPerPage = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
var app = builder.Build();
app.MapGet("/forum.php", (HttpRequest r) => Results.Content(SyntheticForum.Page(r, threads, pagesPerThread, postsPerPage), "text/html; charset=utf-8"));
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");

var captures = Path.Combine(Path.GetTempPath(), "enw-bench-" + Guid.NewGuid().ToString("N"));
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Crawler:MaxBoardPages"] = "1000",
    ["Crawler:MaxThreads"] = "100000",
}).Build();
await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddCrawler(captures)
    .Configure<FetcherOptions>(o => o.PerHostDelay = TimeSpan.Zero)
    .BuildServiceProvider();
var sink = new CollectingSink();
var target = new CrawlTarget(1, "bench", [new Uri(address, "forum.php?mod=forumdisplay&fid=2")], new CrawlScope([new Uri(address, "forum.php")]), new SourcePolicy(AllowPrivateNetwork: true, MinDelay: TimeSpan.Zero, IgnoreRobots: true));

var crawlClock = Stopwatch.StartNew();
var report = await services.GetRequiredService<ForumCrawler>().CrawlAsync(target, sink, CancellationToken.None);
crawlClock.Stop();

var detector = new PostDetector(Lexicon.LoadDefault());
var chars = sink.Texts.Sum(t => (long)t.Length);
var bytes = sink.Texts.Sum(t => (long)Encoding.UTF8.GetByteCount(t));
var detectClock = Stopwatch.StartNew();
var alerts = sink.Texts.Count(t => detector.Detect(null, t).IsAlert);
detectClock.Stop();
var warcBytes = Directory.GetFiles(captures).Sum(f => new FileInfo(f).Length);

Console.WriteLine("| measure | value |");
Console.WriteLine("|---|---|");
Console.WriteLine(FormattableString.Invariant($"| pages fetched (politeness off, WARC on) | {report.PagesFetched} |"));
Console.WriteLine(FormattableString.Invariant($"| posts extracted | {report.PostsFound} |"));
Console.WriteLine(FormattableString.Invariant($"| failures | {report.Failures.Count} |"));
Console.WriteLine(FormattableString.Invariant($"| crawl time | {crawlClock.Elapsed.TotalSeconds:0.00} s |"));
Console.WriteLine(FormattableString.Invariant($"| pages/s | {report.PagesFetched / crawlClock.Elapsed.TotalSeconds:0.0} |"));
Console.WriteLine(FormattableString.Invariant($"| posts/s | {report.PostsFound / crawlClock.Elapsed.TotalSeconds:0.0} |"));
Console.WriteLine(FormattableString.Invariant($"| WARC written | {warcBytes / 1024.0 / 1024.0:0.0} MiB |"));
Console.WriteLine(FormattableString.Invariant($"| detection over {sink.Texts.Count} posts ({chars} chars) | {detectClock.Elapsed.TotalMilliseconds:0} ms, {bytes / 1024.0 / 1024.0 / detectClock.Elapsed.TotalSeconds:0.0} MB/s, {alerts} alerts |"));

await app.StopAsync();
Directory.Delete(captures, recursive: true);
}
}

internal sealed class CollectingSink : ICrawlSink
{
    public List<string> Texts { get; } = [];

    public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
    {
        Texts.Add(post.Text);
        return Task.CompletedTask;
    }
}

internal static class SyntheticForum
{
    private static readonly string[] Lines =
    [
        "二次函数的压轴题总是做不完，大家都是怎么安排复习的？",
        "我每天做一套模拟卷，错题抄到本子上，周末集中看一遍。",
        "出售中考各科答案，考前一天发到手机，加微信 zk2026da 私聊。",
        "宿舍太吵了，想买个降噪耳机，预算500以内，大家有推荐的吗？",
        "隐形耳机 米粒耳机 批发零售，防屏蔽，QQ 2873341190",
        "考试期间严禁携带手机、耳机等电子设备及作弊器材进入考场。",
    ];

    public static string Page(HttpRequest request, int threads, int pages, int posts)
    {
        var page = int.TryParse(request.Query["page"], out var p) && p > 0 ? p : 1;
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>bench</title></head><body>");
        if (request.Query["mod"] == "forumdisplay")
        {
            const int perBoardPage = 50;
            html.Append("<table>");
            for (var t = ((page - 1) * perBoardPage) + 1; t <= Math.Min(threads, page * perBoardPage); t++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tbody id=\"normalthread_{t}\"><tr><th><a class=\"s xst\" href=\"forum.php?mod=viewthread&amp;tid={t}\">主题{t}</a></th><td class=\"num\"><a class=\"xi2\">{(pages * posts) - 1}</a></td></tr></tbody>");
            }

            html.Append("</table>");
            if (page * perBoardPage < threads)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"pg\"><a class=\"nxt\" href=\"forum.php?mod=forumdisplay&amp;fid=2&amp;page={page + 1}\">下一页</a></div>");
            }
        }
        else
        {
            var tid = int.Parse(request.Query["tid"]!, CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<span id=\"thread_subject\">主题{tid}</span>");
            for (var i = 0; i < posts; i++)
            {
                var pid = (((tid * pages) + page) * posts) + i;
                html.Append(CultureInfo.InvariantCulture, $"<div id=\"post_{pid}\"><div class=\"authi\"><a class=\"xw1\">用户{pid % 97}</a></div><em id=\"authorposton{pid}\">发表于 2026-6-1 10:{i:00}</em><table><tr><td class=\"t_f\" id=\"postmessage_{pid}\">{Lines[pid % Lines.Length]}<br />{Lines[(pid / 7) % Lines.Length]}</td></tr></table></div>");
            }

            if (page < pages)
            {
                html.Append(CultureInfo.InvariantCulture, $"<div class=\"pg\"><a class=\"nxt\" href=\"forum.php?mod=viewthread&amp;tid={tid}&amp;page={page + 1}\">下一页</a></div>");
            }
        }

        return html.Append("</body></html>").ToString();
    }
}
