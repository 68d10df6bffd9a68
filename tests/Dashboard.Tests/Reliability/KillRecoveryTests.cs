using System.Collections.Concurrent;
using System.Diagnostics;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Faults;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Demo;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Segmentation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Reliability;

/// <summary>
/// The real <c>examnetwatch serve</c> process, SIGKILLed at every kill point of crawl, WARC capture, ingest, index,
/// notification and retention (the n-th time it is reached, n seeded) while a live forum keeps publishing, then run
/// to the end: every forum post is stored once (or was purged by retention as a post without alert), every alerting
/// post has exactly one alert, one <c>alert.raise</c> entry and one recorded delivery, the webhook saw every alert
/// (a second copy only where a kill fell between a target's answer and its record, with the same Idempotency-Key),
/// the index holds exactly the stored posts, every capture reads back and the audit chain verifies.
/// </summary>
public sealed class KillRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] LivePoints =
    [
        "crawl.page-fetched", "warc.mid-record", "warc.before-flush", "crawl.post-handing-over", "ingest.post-saving",
        "ingest.alert-saved", "ingest.before-commit", "ingest.committed", "crawl.thread-state-saved", "crawl.run-finishing",
        "index.claimed", "index.before-commit", "index.written", "notify.leased", "notify.target-answered", "notify.sent",
    ];

    private static readonly string[] RetentionPoints =
    [
        // Purging first, while the seeded posts without an alert are there to purge; then each step of compaction.
        "retention.batch-purged", "retention.posts-purged", "retention.compacting", "retention.capture-rewritten", "retention.capture-repointed",
    ];

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-kill-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<string> _received = new();
    private DemoForum _forum = null!;
    private WebApplication _hook = null!;
    private Uri _hookUrl = null!;

    public async Task InitializeAsync()
    {
        _forum = await DemoForum.StartAsync(0, TimeSpan.FromMilliseconds(400), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _hook = builder.Build();
        _hook.MapPost("/hook", (HttpRequest request) =>
        {
            _received.Enqueue(request.Headers["Idempotency-Key"].ToString());
            return Results.Text("ok");
        });
        await _hook.StartAsync();
        _hookUrl = new Uri(_hook.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/hook");
    }

    public async Task DisposeAsync()
    {
        await _hook.StopAsync();
        await _hook.DisposeAsync();
        await _forum.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A handle still closing; the temp folder is cleaned by the OS.
        }
    }

    [Fact]
    public async Task ServeKilledAtEveryPoint_AfterRestart_EverythingHappenedExactlyOnce()
    {
        var add = await ExamNetWatchProcess.RunAsync(
            "sources", "add", "演示论坛", "--data-dir", _dataDir, "--entry", _forum.BoardUrl.ToString(), "--scope", new Uri(_forum.BaseAddress, "forum.php").ToString(),
            "--basis", "赣考院中〔2019〕3号", "--approved-by", "江西省教育考试院", "--valid-from", "2026-01-01", "--valid-until", "2099-01-01",
            "--registered-by", "王老师", "--schedule", "*/2 * * * * *", "--allow-private-network", "--min-delay", "0.01");
        Assert.True(add.Code == 0, add.Stderr);

        var random = new Random(20261201);
        var plan = LivePoints.Select(p => (Point: p, Count: 1 + random.Next(3), Retention: false))
            .Concat(RetentionPoints.Select(p => (Point: p, Count: 1, Retention: true)))
            .ToList();
        var killed = new List<string>();
        var missed = new List<string>();
        var purgeable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (point, count, retention) in plan)
        {
            if (retention)
            {
                // Retention needs something old: age the posts without alert and every closed capture file.
                purgeable.UnionWith(await AgeAsync());
            }

            var (exited, log) = await ServeAsync(TimeSpan.FromSeconds(45), retention, $"{point}:{count}");
            (exited ? killed : missed).Add($"{point}:{count}");
            if (!exited)
            {
                output.WriteLine($"{point}:{count} not reached; log tail: {log[Math.Max(0, log.Length - 2000)..]}");
            }
        }

        // The end: the forum stops publishing, the server runs until every post is crawled, indexed and announced.
        await _forum.StopPublishingAsync();
        var expected = _forum.Content.AllPosts.Select(p => CrawledPost.MakeStableId(1, p.ThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToHashSet(StringComparer.Ordinal);
        await ServeUntilAsync(expected, purgeable);

        Assert.True(killed.Count >= 20 && missed.Count == 0, $"killed at {killed.Count}: {string.Join(", ", killed)}; never reached: {string.Join(", ", missed)}");
        await using var db = OpenDatabase();
        var posts = await db.Posts.AsNoTracking().ToListAsync();
        var stored = posts.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var lost = expected.Where(id => !stored.Contains(id) && !purgeable.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} forum posts neither stored nor purged: {string.Join(", ", lost.Take(10))}");

        var alerts = await db.Alerts.AsNoTracking().ToListAsync();
        Assert.True(alerts.GroupBy(a => a.PostId).All(g => g.Count() == 1), "a post with two alerts");
        var detector = new PostDetector(Lexicon.LoadDefault());
        var alerted = alerts.Select(a => a.PostId).ToHashSet(StringComparer.Ordinal);
        var unannounced = posts.Where(p => !alerted.Contains(p.Id) && detector.Detect(p.Floor is null or 1 ? p.ThreadTitle : null, p.Text).IsAlert).Select(p => p.Id).ToList();
        Assert.True(unannounced.Count == 0, $"{unannounced.Count} alerting posts without an alert: {string.Join(", ", unannounced.Take(10))}");
        Assert.True(alerts.Count >= 10, $"only {alerts.Count} alerts");

        var raised = await db.Audit.AsNoTracking().Where(e => e.Action == "alert.raise").Select(e => e.Target).ToListAsync();
        var alertTargets = alerts.Select(a => FormattableString.Invariant($"alert:{a.Id}")).ToList();
        Assert.Equal(alertTargets.Order(StringComparer.Ordinal), raised.Order(StringComparer.Ordinal));

        var deliveries = await db.NotificationDeliveries.AsNoTracking().Select(d => d.AlertId).ToListAsync();
        Assert.Equal(alerts.Select(a => a.Id).Order(), deliveries.Order());
        Assert.False(await db.NotificationOutbox.AnyAsync(), "notifications left in the outbox");
        var keys = _received.ToList();
        Assert.Equal(alerts.Select(a => FormattableString.Invariant($"examnetwatch-alert-{a.Id}")).Order(StringComparer.Ordinal), keys.Distinct().Order(StringComparer.Ordinal));
        // A second copy needs a kill — at any point, on any thread — while a send is between the target's answer and its
        // record; sends are one at a time, so each kill makes one copy at most, with the same Idempotency-Key.
        var duplicates = keys.Count - keys.Distinct().Count();
        Assert.True(duplicates <= killed.Count, $"{duplicates} second copies for {killed.Count} kills");

        Assert.False(await db.IndexOutbox.AnyAsync(), "posts left in the index outbox");
        using (var index = new LucenePostIndex(Path.Combine(_dataDir, "index"), ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term))))
        {
            Assert.Equal(posts.Count, await index.CountAsync());
        }

        var unreadable = posts.Where(p => !Readable(p)).Select(p => p.Id).ToList();
        Assert.True(unreadable.Count == 0, $"{unreadable.Count} captures unreadable: {string.Join(", ", unreadable.Take(10))}");

        var verify = await ExamNetWatchProcess.RunAsync("audit", "verify", "--data-dir", _dataDir);
        Assert.True(verify.Code == 0, verify.Stdout + verify.Stderr);
        output.WriteLine($"reliability: kill suite: {killed.Count} kills ({string.Join(", ", killed)}); {posts.Count} posts, {alerts.Count} alerts, {keys.Count} webhook calls ({duplicates} second copies), {purgeable.Count} posts aged for retention");
    }

    /// <summary>
    /// Runs serve with <paramref name="killAt"/> armed until it dies (true), <paramref name="done"/> holds, or
    /// <paramref name="limit"/> passes (then it is stopped with SIGKILL too, and false is returned).
    /// </summary>
    private async Task<(bool Killed, string Log)> ServeAsync(TimeSpan limit, bool retention, string? killAt, Func<Task<bool>>? done = null)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "examnetwatch"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "serve", "--data-dir", _dataDir, "--urls", "http://127.0.0.1:0" },
        };
        start.Environment["Crawler__Fetcher__PerHostDelay"] = "00:00:00";
        // The live forum grows past the default five board pages; the whole board is read, so every post is reachable.
        start.Environment["Crawler__MaxBoardPages"] = "100";
        start.Environment["Notifications__MinSeverity"] = "1";
        start.Environment["Notifications__AllowPrivateNetwork"] = "true";
        start.Environment["Notifications__Webhooks__0__Kind"] = "webhook";
        start.Environment["Notifications__Webhooks__0__Url"] = _hookUrl.ToString();
        start.Environment["Retention__Schedule"] = retention ? "*/2 * * * * *" : "0 0 1 1 *";
        start.Environment["Retention__NonAlertPostDays"] = "1";
        if (killAt is not null)
        {
            start.Environment[KillPoint.Variable] = killAt;
        }

        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            using (var tick = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
            {
                try
                {
                    await process.WaitForExitAsync(tick.Token);
                    return (true, Text(log));
                }
                catch (OperationCanceledException)
                {
                    // Still running.
                }
            }

            if (done is not null && await done())
            {
                break;
            }
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        return (false, Text(log));
    }

    private static string Text(System.Text.StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>Serves without a kill point until every forum post is stored or purged, indexed and announced.</summary>
    private async Task ServeUntilAsync(HashSet<string> expected, HashSet<string> purgeable)
    {
        var settled = 0;
        var (_, log) = await ServeAsync(TimeSpan.FromSeconds(150), retention: false, killAt: null, done: async () =>
        {
            try
            {
                await using var db = OpenDatabase();
                var stored = (await db.Posts.Select(p => p.Id).ToListAsync()).ToHashSet(StringComparer.Ordinal);
                var complete = expected.All(id => stored.Contains(id) || purgeable.Contains(id)) && !await db.IndexOutbox.AnyAsync() && !await db.NotificationOutbox.AnyAsync();
                // Complete for three looks in a row: the last crawl run has finished its bookkeeping.
                settled = complete ? settled + 1 : 0;
                return settled >= 3;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return false;
            }
        });
        output.WriteLine("final run log tail: " + log[Math.Max(0, log.Length - 1500)..]);
        if (settled < 3)
        {
            await using var db = OpenDatabase();
            var stored = (await db.Posts.Select(p => p.Id).ToListAsync()).ToHashSet(StringComparer.Ordinal);
            var missing = expected.Where(id => !stored.Contains(id) && !purgeable.Contains(id)).Take(20);
            Assert.Fail($"the final run did not finish the work: missing {string.Join(", ", missing)}; index outbox {await db.IndexOutbox.CountAsync()}, notification outbox {await db.NotificationOutbox.CountAsync()}; log: {log[Math.Max(0, log.Length - 2000)..]}");
        }
    }

    /// <summary>
    /// Makes the data directory 40 days older, as if the server had stood still that long: every post without an alert
    /// fetched 40 days earlier, and every capture file rewritten with its records dated 40 days earlier (the posts
    /// pointing at their new offsets) and its time set back. A file with a damaged tail is only set back. Returns the aged posts.
    /// </summary>
    private async Task<List<string>> AgeAsync()
    {
        var shift = TimeSpan.FromDays(-40);
        await using var db = OpenDatabase();
        var old = TimeProvider.System.GetUtcNow().UtcDateTime + shift;
        var ids = await db.Posts.Where(p => !db.Alerts.Any(a => a.PostId == p.Id)).Select(p => p.Id).ToListAsync();
        await db.Posts.Where(p => ids.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.FetchedAtUtc, old));
        foreach (var path in Directory.EnumerateFiles(Path.Combine(_dataDir, "captures"), "*.warc.gz"))
        {
            var (records, damaged) = WarcReader.ReadAllComplete(path);
            if (!damaged && records.All(r => r.Date > old.AddDays(1)))
            {
                var name = Path.GetFileName(path);
                var moved = new Dictionary<string, (long Offset, long Length)>(StringComparer.Ordinal);
                await using (var file = new FileStream(path, FileMode.Create))
                {
                    foreach (var record in records)
                    {
                        var offset = file.Position;
                        await using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
                        {
                            var aged = record with { Date = record.Date + shift, Fields = [.. record.Fields.Where(f => f.Key is not ("WARC-Block-Digest" or "Content-Length"))] };
                            await gzip.WriteAsync(WarcWriter.Serialise(aged));
                        }

                        moved[record.RecordId] = (offset, file.Position - offset);
                    }
                }

                foreach (var (recordId, (offset, length)) in moved)
                {
                    await db.Posts.Where(p => p.WarcFile == name && p.WarcRecordId == recordId)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.WarcOffset, offset).SetProperty(p => p.WarcLength, length));
                }
            }

            File.SetLastWriteTimeUtc(path, old);
        }

        return ids;
    }

    private bool Readable(Post post)
    {
        try
        {
            var record = WarcReader.ReadMember(Path.Combine(_dataDir, "captures", post.WarcFile), post.WarcOffset, post.WarcLength);
            return record.RecordId == post.WarcRecordId;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException)
        {
            return false;
        }
    }

    private WatchDbContext OpenDatabase() =>
        new(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite($"Data Source={Path.Combine(_dataDir, "examnetwatch.db")};Default Timeout=30").Options);
}
