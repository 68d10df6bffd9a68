using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// The production profile at exam-day scale, on this machine: N local Discuz!-like forums (one Kestrel, one port per
/// forum, 127.0.0.1), every one an exam-critical source with a paper in progress (the exam cadence queues a crawl of
/// each every minute), one web process (in this process) and two worker processes of the built <c>examnetwatch</c> on a
/// PostgreSQL the harness starts, indexing into an Elasticsearch-like node on loopback. After the first sweep each forum
/// publishes a new offer thread every <c>interval</c>; the harness times each from its publication to its arrival in the
/// web process's live queue. Usage: dotnet run -c Release --project tests/Benchmarks -- scale [forums] [minutes] [interval-seconds]
/// </summary>
internal static class ScaleHarness
{
    private const int InitialThreads = 10, PostsPerThread = 10;

    public static async Task RunAsync(string[] args)
    {
        var forums = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var minutes = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 4;
        var interval = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60);
        var dir = Path.Combine(Path.GetTempPath(), "enw-scale-" + Guid.NewGuid().ToString("N"));
        var database = await PostgresServer.Instance.CreateDatabaseAsync();
        var connection = PostgresServer.Instance.ConnectionString(database);
        using var boards = new Boards(forums);
        var (forumApp, ports) = await boards.StartAsync();
        await using var elasticsearch = await LocalElasticsearch.StartAsync();
        var workers = new List<Process>();
        try
        {
            var configuration = new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "PostgreSql",
                ["Storage:ConnectionString"] = connection,
                ["Storage:CapturesPath"] = Path.Combine(dir, "captures"),
                ["Storage:KeysPath"] = Path.Combine(dir, "keys"),
                ["Jobs:Storage"] = "PostgreSql",
                ["Jobs:WorkerCount"] = "8",
                ["Index:ElasticsearchUrl"] = elasticsearch.Url.ToString(),
            };
            var environment = configuration.ToDictionary(c => c.Key.Replace(":", "__", StringComparison.Ordinal), c => c.Value!);
            await using (var migrating = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(connection).Options))
            {
                await WatchSchema.MigrateAsync(migrating, CancellationToken.None);
                await RegisterAsync(migrating, ports);
            }

            await using var web = await ServerRunner.StartAsync(new HostSettings(Path.Combine(dir, "web"), "http://127.0.0.1:0") { Role = HostRole.Web, Configuration = configuration }, CancellationToken.None);
            var arrivals = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            using var stop = new CancellationTokenSource();
            var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
            context.Response.Body = new ArrivalStream(arrivals);
            var watching = Task.Run(() => web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>().StreamAsync(context.Response, stop.Token), CancellationToken.None);

            var started = Stopwatch.StartNew();
            for (var w = 0; w < 2; w++)
            {
                // Their output is not shown: the table is the result (a failing worker shows as missing posts).
                var process = ExamNetWatchProcess.Start(environment, new StringBuilder(), "serve", "--role", "worker", "--urls", "http://127.0.0.1:0", "--data-dir", Path.Combine(dir, FormattableString.Invariant($"worker{w}")));
                workers.Add(process);
            }

            // The first sweep: every forum's ten threads.
            var sweepTarget = (long)forums * InitialThreads * PostsPerThread;
            while (await CountAsync(connection, "\"Posts\"") < sweepTarget)
            {
                if (started.Elapsed > TimeSpan.FromMinutes(minutes + 10))
                {
                    throw new TimeoutException("the first sweep did not finish");
                }

                await Task.Delay(500);
            }

            var sweep = started.Elapsed;
            var sweepPages = boards.Requests;
            Console.WriteLine(FormattableString.Invariant($"// first sweep: {sweepTarget:N0} posts, {sweepPages:N0} requests in {sweep.TotalSeconds:0.0} s"));

            // Steady state: new offers published, crawled by the cadence, timed to the live queue.
            var steady = Stopwatch.StartNew();
            var pagesBefore = boards.Requests;
            var postsBefore = await CountAsync(connection, "\"Posts\"");
            boards.Publish(interval);
            await Task.Delay(TimeSpan.FromMinutes(minutes));
            boards.StopPublishing();
            // Let the last publications arrive (at most one cadence round and its crawls).
            await Task.Delay(TimeSpan.FromSeconds(90));
            var elapsed = steady.Elapsed;
            var pages = boards.Requests - pagesBefore;
            var posts = await CountAsync(connection, "\"Posts\"") - postsBefore;
            await stop.CancelAsync();
            await watching;

            var latencies = boards.Published.Select(p => arrivals.TryGetValue(p.Key, out var at) ? (at - p.Value).TotalSeconds : double.NaN).ToList();
            var arrived = latencies.Where(l => !double.IsNaN(l)).Order().ToList();
            Console.WriteLine(FormattableString.Invariant($"| forums | workers | steady state | requests/s | posts/s | offers published | in the live queue | publication → live queue p50 | p95 | max |"));
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Console.WriteLine(FormattableString.Invariant(
                $"| {forums} | 2 × 8 | {elapsed.TotalSeconds:0} s | {pages / elapsed.TotalSeconds:0.0} | {posts / elapsed.TotalSeconds:0.0} | {latencies.Count} | {arrived.Count} | {Pct(arrived, 0.5):0.0} s | {Pct(arrived, 0.95):0.0} s | {(arrived.Count == 0 ? 0 : arrived[^1]):0.0} s |"));
            Console.WriteLine(FormattableString.Invariant($"// first sweep: {sweepTarget / sweep.TotalSeconds:0.0} posts/s, {sweepPages / sweep.TotalSeconds:0.0} requests/s (from worker start, including start-up)"));
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Kill(entireProcessTree: true);
                await worker.WaitForExitAsync();
            }

            await forumApp.StopAsync();
            await forumApp.DisposeAsync();
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresServer.Instance.DropDatabaseAsync(database);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * p) - 1)];

    private static async Task RegisterAsync(WatchDbContext db, IReadOnlyList<int> ports)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var registry = new SourceRegistry(db, new AuditLog(TimeProvider.System), TimeProvider.System);
        for (var i = 0; i < ports.Count; i++)
        {
            var root = FormattableString.Invariant($"http://127.0.0.1:{ports[i]}/");
            await registry.AddAsync(
                new SourceRegistration(FormattableString.Invariant($"中考论坛 {i + 1:000}"), [root + "forum.php?mod=forumdisplay&fid=2"], [root], "赣考院中〔2027〕3号", "省教育考试院", "中考交流版块", now.AddDays(-1), now.AddDays(30), "基准")
                {
                    AllowPrivateNetwork = true,
                    MinDelaySeconds = 0.2,
                    ExamCritical = true,
                    // The exam cadence does the crawling; the source's own schedule does not fall due.
                    Schedule = "0 0 1 1 *",
                },
                CancellationToken.None);
        }

        db.ExamSlots.Add(new ExamSlot { Exam = "2027年中考", Subject = "数学", StartsAtUtc = now.AddMinutes(-5), EndsAtUtc = now.AddHours(6) });
        await db.SaveChangesAsync();
    }

    private static async Task<long> CountAsync(string connection, string table)
    {
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM " + table, db);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The forums: one Kestrel, one port each; board and thread pages in Discuz! X3.4 markup.</summary>
    private sealed class Boards(int count) : IDisposable
    {
        private readonly List<(int Id, string Title, bool Offer)>[] _threads = [.. Enumerable.Range(0, count).Select(_ => new List<(int, string, bool)>())];
        private readonly Dictionary<int, int> _forumOfPort = [];
        private long _requests;
        private CancellationTokenSource? _publishing;

        public long Requests => Interlocked.Read(ref _requests);

        /// <summary>Gets when each offer published in the steady state went up, by its thread title.</summary>
        public ConcurrentDictionary<string, DateTimeOffset> Published { get; } = new(StringComparer.Ordinal);

        public async Task<(WebApplication App, IReadOnlyList<int> Ports)> StartAsync()
        {
            for (var f = 0; f < count; f++)
            {
                for (var t = 1; t <= InitialThreads; t++)
                {
                    _threads[f].Add((t, t == 1 ? FormattableString.Invariant($"出售中考答案 {f}-{t}") : FormattableString.Invariant($"复习交流 {f}-{t}"), t == 1));
                }
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls([.. Enumerable.Range(0, count).Select(_ => "http://127.0.0.1:0")]);
            var app = builder.Build();
            app.Run(AnswerAsync);
            await app.StartAsync();
            var ports = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a).Port).ToList();
            for (var i = 0; i < ports.Count; i++)
            {
                _forumOfPort[ports[i]] = i;
            }

            return (app, ports);
        }

        /// <summary>Publishes a new offer thread on each forum every <paramref name="interval"/>, the forums spread over it.</summary>
        public void Publish(TimeSpan interval)
        {
            _publishing = new CancellationTokenSource();
            var token = _publishing.Token;
            _ = Task.Run(async () =>
            {
                var clock = Stopwatch.StartNew();
                var next = Enumerable.Range(0, count).Select(f => interval * f / count).ToArray();
                while (!token.IsCancellationRequested)
                {
                    for (var f = 0; f < count; f++)
                    {
                        if (clock.Elapsed >= next[f])
                        {
                            lock (_threads[f])
                            {
                                var id = _threads[f].Count + 1;
                                var title = FormattableString.Invariant($"出售今年中考数学答案 {f}-{id}");
                                _threads[f].Add((id, title, true));
                                Published[title] = TimeProvider.System.GetUtcNow();
                            }

                            next[f] += interval;
                        }
                    }

                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);
        }

        public void StopPublishing() => _publishing?.Cancel();

        public void Dispose() => _publishing?.Dispose();

        private async Task AnswerAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            var forum = _forumOfPort[context.Connection.LocalPort];
            var request = context.Request;
            string html;
            if (request.Path == "/robots.txt")
            {
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("User-agent: *\nAllow: /\n");
                return;
            }

            List<(int Id, string Title, bool Offer)> threads;
            lock (_threads[forum])
            {
                threads = [.. _threads[forum]];
            }

            if (request.Query["mod"] == "viewthread" && int.TryParse(request.Query["tid"], NumberStyles.None, CultureInfo.InvariantCulture, out var tid) && threads.FirstOrDefault(t => t.Id == tid) is { Title: not null } thread)
            {
                html = Thread(forum, thread);
            }
            else if (request.Query["mod"] == "forumdisplay")
            {
                html = Board(threads);
            }
            else
            {
                context.Response.StatusCode = 404;
                return;
            }

            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html);
        }

        private static string Board(List<(int Id, string Title, bool Offer)> threads)
        {
            var html = Start("中考交流 - 论坛").Append("<table id=\"threadlisttableid\" summary=\"forum_2\">\n");
            foreach (var thread in Enumerable.Reverse(threads))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tbody id=\"normalthread_{thread.Id}\"><tr><th class=\"common\"><a href=\"forum.php?mod=viewthread&amp;tid={thread.Id}\" class=\"s xst\">{WebUtility.HtmlEncode(thread.Title)}</a></th>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"by\"><cite><a href=\"home.php?mod=space&amp;uid={thread.Id}\">用户{thread.Id}</a></cite><em><span>2027-6-1 10:00</span></em></td><td class=\"num\"><a href=\"#\" class=\"xi2\">{PostsPerThread - 1}</a></td></tr></tbody>\n");
            }

            return html.Append("</table>\n</div>\n</body></html>\n").ToString();
        }

        private static string Thread(int forum, (int Id, string Title, bool Offer) thread)
        {
            var html = Start(thread.Title + " - 中考交流 - 论坛")
                .Append(CultureInfo.InvariantCulture, $"<h1 class=\"ts\"><span id=\"thread_subject\">{WebUtility.HtmlEncode(thread.Title)}</span></h1>\n<div id=\"postlist\" class=\"pl bm\">\n");
            for (var floor = 1; floor <= PostsPerThread; floor++)
            {
                var pid = thread.Id * 100 + floor;
                var text = floor == 1 && thread.Offer
                    ? FormattableString.Invariant($"考前出售中考数学真题答案，包过，加微信 zk{forum}x{thread.Id} 或 QQ 8{forum:000}{thread.Id:000}66，另有隐形耳机接收器")
                    : FormattableString.Invariant($"第 {floor} 楼：今天做了第 {thread.Id} 套练习卷，函数和几何还要再练，周末去图书馆。");
                html.Append(CultureInfo.InvariantCulture, $"<div id=\"post_{pid}\"><table id=\"pid{pid}\" class=\"plhin\"><tr><td class=\"pls\"><div class=\"pi\"><div class=\"authi\"><a href=\"home.php?mod=space&amp;uid={pid}\" class=\"xw1\">用户{pid}</a></div></div></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td class=\"plc\"><div class=\"pi\"><strong><a href=\"forum.php?mod=redirect&amp;goto=findpost&amp;pid={pid}\" id=\"postnum{pid}\">{floor}#</a></strong><div class=\"pti\"><div class=\"authi\"><em id=\"authorposton{pid}\">发表于 2027-6-1 10:00</em></div></div></div>")
                    .Append(CultureInfo.InvariantCulture, $"<div class=\"pct\"><div class=\"pcb\"><div class=\"t_fsz\"><table cellspacing=\"0\" cellpadding=\"0\"><tr><td class=\"t_f\" id=\"postmessage_{pid}\">\n{WebUtility.HtmlEncode(text)}</td></tr></table></div></div></div></td></tr></table></div>\n");
            }

            return html.Append("</div>\n</div>\n</body></html>\n").ToString();
        }

        private static StringBuilder Start(string title) => new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" />\n<title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title><meta name=\"generator\" content=\"Discuz! X3.4\" /></head>\n<body id=\"nv_forum\">\n<div id=\"wp\" class=\"wp\">\n");
    }

    /// <summary>The live queue's event stream as a watcher's browser receives it: notes when each alert (by title) arrives.</summary>
    private sealed class ArrivalStream(ConcurrentDictionary<string, DateTimeOffset> arrivals) : Stream
    {
        private readonly StringBuilder _pending = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Take(Encoding.UTF8.GetString(buffer, offset, count));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Take(Encoding.UTF8.GetString(buffer.Span));
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Take(string text)
        {
            var now = TimeProvider.System.GetUtcNow();
            lock (_pending)
            {
                _pending.Append(text);
                var all = _pending.ToString();
                var end = all.LastIndexOf('\n');
                if (end < 0)
                {
                    return;
                }

                foreach (var line in all[..end].Split('\n'))
                {
                    if (line.StartsWith("data: {", StringComparison.Ordinal))
                    {
                        arrivals.TryAdd(JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("title").GetString() ?? string.Empty, now);
                    }
                }

                _pending.Clear().Append(all[(end + 1)..]);
            }
        }
    }
}
