using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

/// <summary>What an operator's Prometheus and log collector get from a running <c>examnetwatch serve</c>.</summary>
public sealed class MetricsAndLogsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-metrics-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task WithPrometheusAndJsonLogsOn_ACrawlShowsUpAsPagesPostsAlertsBySeverityBacklogAndJobTime_AndEachLogLineIsJson()
    {
        await using var forum = await HostileForum.StartAsync(_ => [.. Enumerable.Range(1, 6).Select(i => i % 3 == 1
            ? new HostileThread(i, FormattableString.Invariant($"出售中考数学答案 {i}"), "卖家", FormattableString.Invariant($"考前出售中考数学真题答案，包过，加微信 zkda{i}x 或 QQ 8{i}76655，另有隐形耳机"))
            : new HostileThread(i, FormattableString.Invariant($"复习计划 {i}"), "同学", "今天做了一套练习卷，函数题还是不太熟。"))]);
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync("migrate", "--data-dir", _dir)).Code);
        await RegisterAsync(forum);

        var port = FreePort();
        var output = new StringBuilder();
        using var serve = ExamNetWatchProcess.Start(
            new Dictionary<string, string> { ["Metrics__Prometheus"] = "true", ["Logging__Console__FormatterName"] = "json", ["Logging__LogLevel__Default"] = "Information" },
            output,
            "serve", "--urls", FormattableString.Invariant($"http://127.0.0.1:{port}"), "--data-dir", _dir);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(FormattableString.Invariant($"http://127.0.0.1:{port}/")) };
            var metrics = string.Empty;
            for (var wait = System.Diagnostics.Stopwatch.StartNew(); !(Value(metrics, "examnetwatch_posts_total") == 6 && Value(metrics, "examnetwatch_outbox_backlog", ("outbox", "index")) == 0 && Value(metrics, "examnetwatch_job_duration_seconds_count", ("job", "CrawlSourceJob"), ("outcome", "succeeded")) >= 1); await Task.Delay(250))
            {
                Assert.True(wait.Elapsed < TimeSpan.FromSeconds(90), "no crawl showed up in the metrics:\n" + metrics + "\n" + output);
                try
                {
                    metrics = await client.GetStringAsync("metrics");
                }
                catch (HttpRequestException)
                {
                    // Still starting.
                }
            }

            var served = forum.Requests.Count;
            await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite($"Data Source={Path.Combine(_dir, "examnetwatch.db")}").Options);
            Assert.Equal(6, await db.Posts.CountAsync());
            var pages = Value(metrics, "examnetwatch_crawler_pages_total", ("status", "2xx"));
            // The board and six threads at least (robots.txt is not a page); never more than the forum served.
            Assert.InRange(pages, 7, served);
            foreach (var severity in await db.Alerts.GroupBy(a => a.Severity).Select(g => new { g.Key, Count = g.Count() }).ToListAsync())
            {
                Assert.Equal(severity.Count, Value(metrics, "examnetwatch_alerts_total", ("severity", ((Severity)severity.Key).Name())));
            }

            Assert.Equal(2, await db.Alerts.CountAsync());
            Assert.Equal(0, Value(metrics, "examnetwatch_outbox_backlog", ("outbox", "notification")));
            Assert.True(Value(metrics, "examnetwatch_job_duration_seconds_count", ("job", "CrawlSourceJob"), ("outcome", "succeeded")) >= 1, metrics);
            Assert.DoesNotContain(forum.BaseAddress.Authority, metrics, StringComparison.Ordinal);
        }
        finally
        {
            serve.Kill();
            await serve.WaitForExitAsync();
        }

        // Every log line is one JSON object a collector can read, the crawl's among them.
        var logs = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(logs, l => l.GetProperty("Category").GetString() == "ExamNetWatch.Dashboard.Crawling.SourceCrawl" && l.GetProperty("EventId").GetInt32() == 3 && l.GetProperty("LogLevel").GetString() == "Information");
        Assert.DoesNotContain(output.ToString().Split('\n'), l => l.StartsWith("info:", StringComparison.Ordinal) || l.StartsWith("warn:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ByDefault_NoMetricsAreServed()
    {
        await using var server = await ServerRunner.StartAsync(new HostSettings(_dir, "http://127.0.0.1:0"), CancellationToken.None);
        using var client = new HttpClient();

        var response = await client.GetAsync(new Uri(server.DashboardUrl, "metrics"));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("examnetwatch_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task RegisterAsync(HostileForum forum)
    {
        await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite($"Data Source={Path.Combine(_dir, "examnetwatch.db")}").Options);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await new SourceRegistry(db, new AuditLog(TimeProvider.System), TimeProvider.System).AddAsync(
            TestSources.Registration(now) with
            {
                EntryUrls = [forum.BoardUrl.AbsoluteUri],
                ScopePrefixes = [forum.BaseAddress.AbsoluteUri],
                AllowPrivateNetwork = true,
                MinDelaySeconds = 0,
                Schedule = "*/5 * * * * *",
            },
            CancellationToken.None);
    }

    /// <summary>The value of sample <paramref name="name"/> carrying <paramref name="labels"/> (among others) in a Prometheus text page; -1 if absent.</summary>
    private static double Value(string metrics, string name, params (string Name, string Value)[] labels)
    {
        foreach (var line in metrics.Split('\n'))
        {
            var open = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.IndexOf('}', StringComparison.Ordinal);
            if (open < 0 || close < open || line[..open] != name)
            {
                continue;
            }

            var present = line[(open + 1)..close].Split(',');
            if (labels.All(l => present.Contains(FormattableString.Invariant($"{l.Name}=\"{l.Value}\""))))
            {
                return double.Parse(line[(close + 2)..].Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
