using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Queue page harness: a server on a fresh data directory with N alerts (and their posts) in SQLite, signed in over
/// HTTP as staff are, timing the queue pages staff use most. Usage: dotnet run -c Release --project tests/Benchmarks -- queue [alerts]
/// </summary>
internal static partial class QueueHarness
{
    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var dir = Path.Combine(Path.GetTempPath(), "enw-queue-bench-" + Guid.NewGuid().ToString("N"));
        await using var server = await ServerRunner.StartAsync(new HostSettings(dir, "http://127.0.0.1:0"), CancellationToken.None);
        try
        {
            var seeding = Stopwatch.StartNew();
            await SeedAsync(server, count);
            Console.WriteLine(FormattableString.Invariant($"// seeded {count:N0} alerts in {seeding.Elapsed.TotalSeconds:0.0} s"));

            var cookies = new CookieContainer();
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server.DashboardUrl };
            var login = await client.GetStringAsync("Account/Login");
            var token = Token().Match(login).Groups[1].Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = server.UserName, ["Password"] = server.Password!, ["__RequestVerificationToken"] = token });
            (await client.PostAsync("Account/Login", form)).EnsureSuccessStatusCode();

            (string Name, string Url)[] pages =
            [
                ("queue, open alerts, page 1", ""),
                ("queue, page 100", "?p=100"),
                ("queue, severity high+, source, text", "?severity=3&source=1&q=%E4%BD%9C%E5%BC%8A%E5%99%A8"),
                ("queue, grouped", "?grouped=true"),
                ("queue, all statuses, severity order", "?status=all&sort=severity"),
            ];
            Console.WriteLine("| page | p50 | p95 |");
            Console.WriteLine("|---|---:|---:|");
            foreach (var (name, url) in pages)
            {
                var times = new List<double>();
                for (var i = 0; i < 23; i++)
                {
                    var timer = Stopwatch.StartNew();
                    using var response = await client.GetAsync(url);
                    var html = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || !html.Contains("告警队列", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
                    }

                    if (i >= 3)
                    {
                        times.Add(timer.Elapsed.TotalMilliseconds);
                    }
                }

                times.Sort();
                Console.WriteLine(FormattableString.Invariant($"| {name} | {times[times.Count / 2]:0} ms | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:0} ms |"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task SeedAsync(RunningServer server, int count)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var source = new Source { Name = "基准论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "", Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        var random = new Random(20260620);
        var start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        string[] titles = ["出售作弊器", "中考答案出售", "代考包过", "隐形耳机批发", "考场传答案"];
        string[] statuses = [AlertStatus.New, AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.Closed, AlertStatus.Escalated];
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var done = 0; done < count; done += 5000)
        {
            for (var i = done; i < Math.Min(count, done + 5000); i++)
            {
                var id = "bench-" + i.ToString(CultureInfo.InvariantCulture);
                var title = titles[random.Next(titles.Length)] + " " + i.ToString(CultureInfo.InvariantCulture);
                db.Posts.Add(new Post
                {
                    Id = id, SourceId = source.Id, ThreadId = "t" + (i / 10), ForumPostId = id, Url = "http://127.0.0.1/t/" + i, ThreadTitle = title, Text = title, Html = "",
                    FetchedAtUtc = start.AddSeconds(i * 50), CaptureSha256 = "x", WarcFile = "none", WarcRecordId = "r", ContentHash = "h", SimHash = random.NextInt64(), DetectionJson = "{}",
                });
                var status = statuses[random.Next(statuses.Length)];
                db.Alerts.Add(new Alert
                {
                    PostId = id, SourceId = source.Id, CreatedAtUtc = start.AddSeconds(i * 50), Severity = random.Next(2, 5), Score = 0.8, Title = title,
                    Categories = "device", MatchedTerms = "作弊器", Status = status, GroupId = i % 7 == 0 && i > 7 ? i - 6 : null,
                    CloseReason = status == AlertStatus.Closed ? CloseReason.FalsePositive : null,
                });
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        await db.Database.ExecuteSqlRawAsync("ANALYZE;");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
