using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Queue page harness: a server on a fresh data directory with N alerts (and their posts) in SQLite, or with
/// <c>--postgres</c> in a PostgreSQL the harness starts on loopback (the production profile's store), signed in over
/// HTTP as staff are, timing the queue pages staff use most.
/// Usage: dotnet run -c Release --project tests/Benchmarks -- queue [alerts] [--postgres]
/// </summary>
internal static partial class QueueHarness
{
    // The seeded alerts' titles and statuses, in the same proportions on both stores.
    private static readonly string[] Titles = ["出售作弊器", "中考答案出售", "代考包过", "隐形耳机批发", "考场传答案"];
    private static readonly string[] Statuses = [AlertStatus.New, AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.Closed, AlertStatus.Escalated];

    public static async Task RunAsync(string[] args)
    {
        var postgres = args.Contains("--postgres");
        var count = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : 100_000;
        var dir = Path.Combine(Path.GetTempPath(), "enw-queue-bench-" + Guid.NewGuid().ToString("N"));
        var configuration = new Dictionary<string, string?>();
        var database = string.Empty;
        if (postgres)
        {
            database = await ExamNetWatch.Dashboard.Tests.Support.PostgresServer.Instance.CreateDatabaseAsync();
            configuration["Storage:Provider"] = "PostgreSql";
            configuration["Storage:ConnectionString"] = ExamNetWatch.Dashboard.Tests.Support.PostgresServer.Instance.ConnectionString(database) + ";Command Timeout=600";
            configuration["Jobs:Storage"] = "PostgreSql";
            await using var migrating = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(configuration["Storage:ConnectionString"]!).Options);
            await WatchSchema.MigrateAsync(migrating, CancellationToken.None);
        }

        try
        {
            await RunPagesAsync(dir, configuration, postgres, count);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            if (postgres)
            {
                await ExamNetWatch.Dashboard.Tests.Support.PostgresServer.Instance.DropDatabaseAsync(database);
            }
        }
    }

    private static async Task RunPagesAsync(string dir, Dictionary<string, string?> configuration, bool postgres, int count)
    {
        await using var server = await ServerRunner.StartAsync(new HostSettings(dir, "http://127.0.0.1:0") { Configuration = configuration }, CancellationToken.None);
        {
            var seeding = Stopwatch.StartNew();
            await (postgres ? SeedPostgresAsync(server, count) : SeedAsync(server, count));
            Console.WriteLine(FormattableString.Invariant($"// seeded {count:N0} alerts in {(postgres ? "PostgreSQL" : "SQLite")} in {seeding.Elapsed.TotalSeconds:0.0} s"));

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
    }

    /// <summary>The same rows as <see cref="SeedAsync"/>, written by PostgreSQL itself (generate_series): a million in seconds, not an hour of round trips.</summary>
    private static async Task SeedPostgresAsync(RunningServer server, int count)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var source = await AddSourceAsync(db);
        var start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        await using var connection = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            """
            INSERT INTO "Posts" ("Id", "SourceId", "ThreadId", "ForumPostId", "Url", "ThreadTitle", "Text", "Html", "FetchedAtUtc", "CaptureSha256", "WarcFile", "WarcOffset", "WarcLength", "WarcRecordId", "ContentHash", "SimHash", "Severity", "Score", "DetectionJson")
            SELECT 'bench-' || i, @source, 't' || (i / 10), 'bench-' || i, 'http://127.0.0.1/t/' || i, @titles[1 + i % 5] || ' ' || i, @titles[1 + i % 5] || ' ' || i, '',
                   @start + i * interval '50 seconds', 'x', 'none', 0, 0, 'r', 'h', (i::bigint * 2654435761) % 9007199254740991, 3, 0.8, '{}'
            FROM generate_series(0, @count - 1) AS i
            """,
            """
            INSERT INTO "Alerts" ("PostId", "SourceId", "CreatedAtUtc", "Severity", "Score", "Categories", "MatchedTerms", "Title", "Status", "GroupId", "CloseReason", "LegalHold")
            SELECT 'bench-' || i, @source, @start + i * interval '50 seconds', 2 + (i * 31) % 3, 0.8, 'device', '作弊器', @titles[1 + i % 5] || ' ' || i,
                   @statuses[1 + (i::bigint * 7919) % 5], CASE WHEN i % 7 = 0 AND i > 7 THEN i - 6 END,
                   CASE WHEN @statuses[1 + (i::bigint * 7919) % 5] = @closed THEN @fp END, false
            FROM generate_series(0, @count - 1) AS i ORDER BY i
            """,
            "VACUUM ANALYZE",
        })
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection) { CommandTimeout = 1800 };
            if (sql == "VACUUM ANALYZE")
            {
                await command.ExecuteNonQueryAsync();
                continue;
            }

            command.Parameters.AddWithValue("source", source.Id);
            command.Parameters.AddWithValue("start", start);
            command.Parameters.AddWithValue("count", count);
            command.Parameters.AddWithValue("titles", Titles);
            command.Parameters.AddWithValue("statuses", Statuses);
            command.Parameters.AddWithValue("closed", AlertStatus.Closed);
            command.Parameters.AddWithValue("fp", CloseReason.FalsePositive);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task SeedAsync(RunningServer server, int count)
    {
        await using var scope = server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var source = await AddSourceAsync(db);
        var random = new Random(20260620);
        var start = new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        for (var done = 0; done < count; done += 5000)
        {
            for (var i = done; i < Math.Min(count, done + 5000); i++)
            {
                var id = "bench-" + i.ToString(CultureInfo.InvariantCulture);
                var title = Titles[random.Next(Titles.Length)] + " " + i.ToString(CultureInfo.InvariantCulture);
                db.Posts.Add(new Post
                {
                    Id = id, SourceId = source.Id, ThreadId = "t" + (i / 10), ForumPostId = id, Url = "http://127.0.0.1/t/" + i, ThreadTitle = title, Text = title, Html = "",
                    FetchedAtUtc = start.AddSeconds(i * 50), CaptureSha256 = "x", WarcFile = "none", WarcRecordId = "r", ContentHash = "h", SimHash = random.NextInt64(), DetectionJson = "{}",
                });
                var status = Statuses[random.Next(Statuses.Length)];
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

    /// <summary>The disabled source every seeded alert belongs to.</summary>
    private static async Task<Source> AddSourceAsync(WatchDbContext db)
    {
        var source = new Source { Name = "基准论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "", Enabled = false };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
