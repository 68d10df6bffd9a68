using System.Net;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

/// <summary>The production profile's processes on a real PostgreSQL: store and queues shared, roles, probes.</summary>
public sealed class ProductionProfileTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-prod-" + Guid.NewGuid().ToString("N"));
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.Instance.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await PostgresServer.Instance.DropDatabaseAsync(_database);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(_dir) + "*"))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(HostRole.Web)]
    [InlineData(HostRole.Worker)]
    public async Task WebOrWorkerOnTheEmbeddedDefault_IsRefusedNamingTheSettings(HostRole role)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerRunner.StartAsync(new HostSettings(_dir, "http://127.0.0.1:0") { Role = role }, CancellationToken.None));

        Assert.Contains(error.Failures, f => f.Contains("needs Storage:Provider=PostgreSql and Jobs:Storage=PostgreSql", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("needs Index:Provider=Elasticsearch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Jobs:InvisibilityTimeout", "00:00:05", "Jobs:InvisibilityTimeout must be between 00:00:15 and 06:00:00")]
    [InlineData("Jobs:DistributedLockTimeout", "02:00:00", "Jobs:DistributedLockTimeout must be between 00:00:10 and 01:00:00")]
    [InlineData("Jobs:WorkerCount", "0", "Jobs:WorkerCount must be between 1 and 64")]
    public async Task JobSetting_OutOfRange_IsRefusedAtStartNamingIt(string key, string value, string expected)
    {
        var settings = new HostSettings(_dir, "http://127.0.0.1:0") { Configuration = new Dictionary<string, string?> { [key] = value } };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerRunner.StartAsync(settings, CancellationToken.None));

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkerAndWeb_ShareTheStoreAndTheQueues_WorkerServesOnlyItsProbes_ItsAlertsReachTheWebQueue()
    {
        await using var elasticsearch = await LocalElasticsearch.StartAsync();
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:ConnectionString"] = PostgresServer.Instance.ConnectionString(_database),
            ["Jobs:Storage"] = "PostgreSql",
            ["Index:ElasticsearchUrl"] = elasticsearch.Url.ToString(),
        };
        var migrate = await ExamNetWatchProcess.RunAsync(configuration.ToDictionary(c => c.Key.Replace(":", "__", StringComparison.Ordinal), c => c.Value!), "migrate", "--data-dir", _dir + "-migrate");
        Assert.Equal(0, migrate.Code);

        await using var worker = await ServerRunner.StartAsync(new HostSettings(_dir + "-worker", "http://127.0.0.1:0") { Role = HostRole.Worker, Configuration = configuration }, CancellationToken.None);
        using var client = new HttpClient();
        Assert.Equal("ok", await client.GetStringAsync(new Uri(worker.DashboardUrl, "healthz")));
        var ready = await client.GetAsync(new Uri(worker.DashboardUrl, "readyz"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal(["database", "index", "jobs"], checks.EnumerateObject().Select(c => c.Name));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("ok", c.Value.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(worker.DashboardUrl, "Account/Login"))).StatusCode);

        // The worker keeps the schedules, in Hangfire's PostgreSQL schema.
        await using (var connection = new Npgsql.NpgsqlConnection(PostgresServer.Instance.ConnectionString(_database)))
        {
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'sync-schedules'", connection);
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }

        await using var web = await ServerRunner.StartAsync(new HostSettings(_dir + "-web", "http://127.0.0.1:0") { Role = HostRole.Web, Configuration = configuration }, CancellationToken.None);
        Assert.True((await client.GetAsync(new Uri(web.DashboardUrl, "Account/Login"))).IsSuccessStatusCode);
        Assert.Equal("admin", web.UserName);
        Assert.NotNull(web.Password);
        await using (var scope = web.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", db.Database.ProviderName);
            Assert.True(await db.Users.AnyAsync(u => u.UserName == "admin"));
        }

        Assert.False(File.Exists(Path.Combine(_dir + "-web", "examnetwatch.db")), "the web process keeps nothing in SQLite");
        Assert.False(File.Exists(Path.Combine(_dir + "-web", "hangfire.db")), "nor Hangfire's queues");

        // An alert the worker announces reaches the live queue of the web process (NOTIFY/LISTEN, no broker).
        var listener = web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostgresAlertListener>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); !listener.Listening && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
        }

        Assert.True(listener.Listening);
        using var stop = new CancellationTokenSource();
        var watched = new CapturedStream();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Response.Body = watched;
        var streaming = Task.Run(() => web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>().StreamAsync(context.Response, stop.Token), CancellationToken.None);
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); web.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>().Subscribers == 0 && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
        }

        var feed = worker.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.IAlertFeed>();
        Assert.IsType<ExamNetWatch.Dashboard.Ingestion.PostgresAlertNotifier>(feed);
        feed.Publish(new ExamNetWatch.Dashboard.Ingestion.NewAlert(4242, 4, "出售明天的数学答案" + new string('题', 2000), "某论坛", "leak", "答案", new DateTime(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc), true));
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); !watched.Text().Contains("\"id\":4242", StringComparison.Ordinal) && wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
        }

        await stop.CancelAsync();
        await streaming;
        var data = watched.Text().Split('\n').Single(l => l.StartsWith("data: {\"id\":4242", StringComparison.Ordinal))["data: ".Length..];
        var shown = JsonDocument.Parse(data).RootElement;
        // The title arrives (cut to fit a NOTIFY payload), labelled for this watcher.
        Assert.StartsWith("出售明天的数学答案题题", shown.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(shown.GetProperty("title").GetString()!.Length <= 301);
        Assert.Equal("严重", shown.GetProperty("severityLabel").GetString());
    }
}
