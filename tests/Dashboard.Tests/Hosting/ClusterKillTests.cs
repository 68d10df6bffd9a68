using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

/// <summary>
/// The production profile as it runs on an exam day: one web process and two worker processes of the built
/// <c>examnetwatch</c> on one PostgreSQL, indexing into one Elasticsearch-like node, crawling three local forums, and
/// one worker killed with SIGKILL in the middle of its crawl. Counted afterwards from the store, the forums' own
/// request logs, the webhook receiver, the index and the web process's live queue.
/// </summary>
public sealed partial class ClusterKillTests : IAsyncLifetime
{
    private const int Forums = 3, ThreadsPerForum = 12;
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(0.8);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _workers = [];
    private readonly List<StringBuilder> _output = [];
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.Instance.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            if (!worker.HasExited)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }

            worker.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        await PostgresServer.Instance.DropDatabaseAsync(_database);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task TwoWorkersAndAWeb_OneWorkerKilledMidCrawl_EveryPostOnce_OneAlertAndOneNotificationEach_PolitenessKept()
    {
        Directory.CreateDirectory(_dir);
        var forums = new List<HostileForum>();
        for (var f = 0; f < Forums; f++)
        {
            var forum = f;
            forums.Add(await HostileForum.StartAsync(_ => [.. Enumerable.Range(1, ThreadsPerForum).Select(t => Thread(forum, t))]));
        }

        await using var elasticsearch = await LocalElasticsearch.StartAsync();
        await using var hook = await WebhookReceiver.StartAsync();
        var connection = PostgresServer.Instance.ConnectionString(_database);
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = connection,
            ["Storage:CapturesPath"] = Path.Combine(_dir, "captures"),
            ["Storage:KeysPath"] = Path.Combine(_dir, "keys"),
            ["Jobs:Storage"] = "PostgreSql",
            ["Jobs:InvisibilityTimeout"] = "00:00:15",
            ["Jobs:WorkerCount"] = "2",
            ["Index:ElasticsearchUrl"] = elasticsearch.Url.ToString(),
            ["Notifications:MinSeverity"] = "1",
            ["Notifications:AllowPrivateNetwork"] = "true",
            ["Notifications:Webhooks:0:Kind"] = "webhook",
            ["Notifications:Webhooks:0:Url"] = hook.Url.ToString(),
        };
        var environment = configuration.ToDictionary(c => c.Key.Replace(":", "__", StringComparison.Ordinal), c => c.Value!);
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync(environment, "migrate", "--data-dir", Path.Combine(_dir, "migrate"))).Code);
        var sources = await RegisterAsync(connection, forums);

        await using var web = await ServerRunner.StartAsync(new HostSettings(Path.Combine(_dir, "web"), "http://127.0.0.1:0") { Role = HostRole.Web, Configuration = configuration }, CancellationToken.None);
        using var stopWatching = new CancellationTokenSource();
        var live = new CapturedStream();
        var watching = WatchLiveQueueAsync(web, live, stopWatching.Token);
        var listener = web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostgresAlertListener>();
        var broadcaster = web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        await UntilAsync(() => Task.FromResult(listener.Listening && broadcaster.Subscribers > 0), TimeSpan.FromSeconds(30), "the web process listens for alerts and a watcher is on its live queue");
        for (var w = 0; w < 2; w++)
        {
            var output = new StringBuilder();
            _output.Add(output);
            _workers.Add(ExamNetWatchProcess.Start(environment, output, "serve", "--role", "worker", "--urls", "http://127.0.0.1:0", "--data-dir", Path.Combine(_dir, FormattableString.Invariant($"worker{w}"))));
        }

        await UntilAsync(async () => await ScalarAsync<long>(connection, "SELECT count(*) FROM hangfire.server") >= 2, TimeSpan.FromSeconds(60), "both workers joined");

        // Staff press 抓取 on the three sources of the web process; the workers take the jobs.
        List<string> jobs;
        await using (var scope = web.App.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<ICrawlJobs>();
            jobs = [.. sources.Select(queue.RunNow)];
        }

        // SIGKILL the worker running a crawl once that forum has served a few pages (of 13).
        var (victim, killedJobs) = await KillMidCrawlAsync(connection, forums);
        var killedAt = TimeProvider.System.GetUtcNow();
        Assert.NotEmpty(killedJobs);

        await UntilAsync(async () => (await JobStatesAsync(connection, jobs)).All(s => s == "Succeeded"), TimeSpan.FromSeconds(150), "every crawl, the killed one retried elsewhere, succeeded");
        var alerts = await UntilSettledAsync(connection, hook, elasticsearch);
        await stopWatching.CancelAsync();
        await watching;

        // Every post once; one alert per offer.
        await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(connection).Options);
        var posts = await db.Posts.AsNoTracking().Select(p => new { p.Id, p.SourceId, p.ThreadId }).ToListAsync();
        Assert.Equal(Forums * ThreadsPerForum, posts.Count);
        Assert.Equal(Forums * ThreadsPerForum, posts.Select(p => (p.SourceId, p.ThreadId)).Distinct().Count());
        var offers = Forums * Enumerable.Range(1, ThreadsPerForum).Count(IsOffer);
        Assert.Equal(offers, alerts.Count);
        Assert.Equal(offers, await db.Audit.CountAsync(a => a.Action == AuditActions.AlertRaise));
        Assert.True((await AuditChain.VerifyAsync(db, CancellationToken.None)).Holds);

        // One notification per alert at the receiver; one document per post in the index; each alert once in the live queue.
        Assert.Equal(alerts.Select(a => "examnetwatch-alert-" + a).Order(StringComparer.Ordinal), hook.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(posts.Select(p => p.Id).Order(StringComparer.Ordinal), elasticsearch.Documents.Keys.Order(StringComparer.Ordinal));
        var shown = LiveAlertIds().Matches(live.Text()).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(alerts.Order(), shown.Order());

        // The killed crawl ran again on the other worker.
        var survivor = _workers.Single(w => w.Id != victim).Id;
        foreach (var job in killedJobs)
        {
            var servers = await ProcessingServersAsync(connection, job);
            Assert.True(servers.Count >= 2, $"job {job} ran on {string.Join(", ", servers)}");
            Assert.Equal(survivor, servers[^1]);
        }

        // Politeness from each forum's own log: no two requests closer than the source's delay, kill or no kill.
        foreach (var forum in forums)
        {
            var log = forum.Requests.OrderBy(r => r.At).ToList();
            Assert.True(log.Count >= ThreadsPerForum + 1, $"{forum.BaseAddress}: {log.Count} requests");
            var gaps = log.Zip(log.Skip(1), (a, b) => (Gap: b.At - a.At, Between: $"{a.Target} {a.At:HH:mm:ss.fff} → {b.Target} {b.At:HH:mm:ss.fff}")).ToList();
            var closest = gaps.MinBy(g => g.Gap);
            Assert.True(closest.Gap >= Delay - TimeSpan.FromMilliseconds(50), $"{forum.BaseAddress}: closest requests {closest.Gap.TotalMilliseconds:0} ms apart (delay {Delay.TotalMilliseconds:0} ms): {closest.Between}; kill at {killedAt:HH:mm:ss.fff}");
        }

        foreach (var forum in forums)
        {
            await forum.DisposeAsync();
        }
    }

    private static bool IsOffer(int thread) => thread % 3 == 1;

    private static HostileThread Thread(int forum, int thread) => IsOffer(thread)
        ? new(thread, FormattableString.Invariant($"出售今年中考数学答案 {forum}-{thread}"), FormattableString.Invariant($"卖家{forum}{thread}"),
            FormattableString.Invariant($"考前三天出售中考数学真题答案，包过，加微信 zkda{forum}x{thread} 或 QQ 8{forum}7{thread:00}6655，另有隐形耳机接收器"))
        : new(thread, FormattableString.Invariant($"复习计划第 {thread} 天"), FormattableString.Invariant($"同学{forum}{thread}"),
            FormattableString.Invariant($"今天做了第 {thread} 套练习卷，函数题还是不太熟，明天去图书馆继续。"));

    private static async Task<List<int>> RegisterAsync(string connection, List<HostileForum> forums)
    {
        await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(connection).Options);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var registry = new SourceRegistry(db, new AuditLog(TimeProvider.System), TimeProvider.System);
        var ids = new List<int>();
        foreach (var (forum, i) in forums.Select((f, i) => (f, i)))
        {
            var source = await registry.AddAsync(
                TestSources.Registration(now) with
                {
                    Name = FormattableString.Invariant($"中考论坛 {i + 1}"),
                    EntryUrls = [forum.BoardUrl.AbsoluteUri],
                    ScopePrefixes = [forum.BaseAddress.AbsoluteUri],
                    AllowPrivateNetwork = true,
                    MinDelaySeconds = Delay.TotalSeconds,
                    // Only the crawls this test queues: no schedule falls due while it runs.
                    Schedule = "0 0 1 1 *",
                },
                CancellationToken.None);
            ids.Add(source.Id);
        }

        return ids;
    }

    private async Task<(int Victim, List<long> Jobs)> KillMidCrawlAsync(string connection, List<HostileForum> forums)
    {
        var wait = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(90), "no crawl got under way: " + Output());
            var running = await RunningAsync(connection);
            if (running.Count > 0 && forums.Max(f => f.Requests.Count) >= 4)
            {
                var victim = running[0].Pid;
                var process = _workers.Single(w => w.Id == victim);
                process.Kill();
                await process.WaitForExitAsync();
                return (victim, [.. running.Where(r => r.Pid == victim).Select(r => r.Job)]);
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The crawl jobs processing now, and the process id of the worker running each (from Hangfire's server id).</summary>
    private static async Task<List<(long Job, int Pid)>> RunningAsync(string connection)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT j.id, s.data::text FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid WHERE j.statename = 'Processing' AND j.invocationdata::text LIKE '%CrawlSourceJob%'", db);
        await using var reader = await command.ExecuteReaderAsync();
        var running = new List<(long, int)>();
        while (await reader.ReadAsync())
        {
            running.Add((reader.GetInt64(0), ServerPid(reader.GetString(1))));
        }

        return running;
    }

    /// <summary>The worker process ids that took job <paramref name="job"/>, in order.</summary>
    private static async Task<List<int>> ProcessingServersAsync(string connection, long job)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT data::text FROM hangfire.state WHERE jobid = @job AND name = 'Processing' ORDER BY id", db);
        command.Parameters.AddWithValue("job", job);
        await using var reader = await command.ExecuteReaderAsync();
        var servers = new List<int>();
        while (await reader.ReadAsync())
        {
            servers.Add(ServerPid(reader.GetString(0)));
        }

        return servers;
    }

    private static int ServerPid(string stateData)
    {
        var server = JsonDocument.Parse(stateData).RootElement.GetProperty("ServerId").GetString()!;
        return int.Parse(server.Split(':')[^2], CultureInfo.InvariantCulture);
    }

    private static async Task<List<string?>> JobStatesAsync(string connection, List<string> jobs)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT statename FROM hangfire.job WHERE id = ANY(@ids)", db);
        command.Parameters.AddWithValue("ids", jobs.Select(j => long.Parse(j, CultureInfo.InvariantCulture)).ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var states = new List<string?>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }

        return states.Count == jobs.Count ? states : [null];
    }

    /// <summary>Waits until the index and notification outboxes are empty and the receiver has every alert; returns the alert ids.</summary>
    private async Task<List<long>> UntilSettledAsync(string connection, WebhookReceiver hook, LocalElasticsearch elasticsearch)
    {
        var alerts = new List<long>();
        var state = string.Empty;
        await UntilAsync(
            async () =>
            {
                await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(connection).Options);
                alerts = await db.Alerts.Select(a => a.Id).ToListAsync();
                var index = await db.IndexOutbox.AsNoTracking().ToListAsync();
                var notifications = await db.NotificationOutbox.AsNoTracking().ToListAsync();
                state = FormattableString.Invariant($"{alerts.Count} alerts, {hook.Keys.Count} notified, {elasticsearch.Documents.Count} indexed; index outbox {index.Count} ({string.Join("; ", index.Take(3).Select(e => $"{e.LeaseOwner} {e.LeaseUntilUtc:O} {e.LastError}"))}), notification outbox {notifications.Count} ({string.Join("; ", notifications.Take(3).Select(e => $"{e.LeaseOwner} {e.LeaseUntilUtc:O} {e.LastError}"))}); index refused: {string.Join(" | ", elasticsearch.Refused.Take(2))}");
                return index.Count == 0 && notifications.Count == 0 && hook.Keys.Count >= alerts.Count && elasticsearch.Documents.Count >= Forums * ThreadsPerForum;
            },
            TimeSpan.FromSeconds(120),
            () => "the index and the notifications caught up: " + state);

        // A late duplicate would arrive within the drain's next round.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return alerts;
    }

    private static Task WatchLiveQueueAsync(RunningServer web, CapturedStream live, CancellationToken cancellationToken)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = live;
        var broadcaster = web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        return Task.Run(() => broadcaster.StreamAsync(context.Response, cancellationToken), CancellationToken.None);
    }

    private Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, string what) => UntilAsync(done, timeout, () => what);

    private async Task UntilAsync(Func<Task<bool>> done, TimeSpan timeout, Func<string> what)
    {
        for (var wait = Stopwatch.StartNew(); !await done(); await Task.Delay(200))
        {
            Assert.True(wait.Elapsed < timeout, $"timed out waiting until {what()}; workers said:\n{Output()}");
        }
    }

    private static async Task<T> ScalarAsync<T>(string connection, string sql)
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private string Output() => string.Join("\n---\n", _output.Select(o =>
    {
        lock (o)
        {
            var text = o.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }));

    [GeneratedRegex("data: \\{\"id\":(\\d+),")]
    private static partial Regex LiveAlertIds();

    /// <summary>A webhook target on 127.0.0.1 that keeps the Idempotency-Key of every call.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private WebApplication _app = null!;

        public System.Collections.Concurrent.ConcurrentQueue<string> Keys { get; } = new();

        public Uri Url { get; private set; } = new("http://127.0.0.1/");

        public static async Task<WebhookReceiver> StartAsync()
        {
            var receiver = new WebhookReceiver();
            (receiver._app, var root) = await LoopbackApp.StartAsync(app => app.MapPost("/hook", (HttpRequest request) =>
            {
                receiver.Keys.Enqueue(request.Headers["Idempotency-Key"].ToString());
                return Results.Ok();
            }));
            receiver.Url = new Uri(root, "hook");
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
