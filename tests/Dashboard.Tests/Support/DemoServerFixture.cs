using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// The whole demo in this process, as <c>examnetwatch demo</c> runs it: demo forum and dashboard on free loopback
/// ports, Hangfire on SQLite, a fresh data directory; a new forum post every 2 s and a crawl every 2 s.
/// </summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    private TestServer _server = null!;

    public string DataDir => _server.DataDir;

    public RunningServer Server => _server.Server;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync("demo", dataDir => new HostSettings(dataDir, "http://127.0.0.1:0", "*/2 * * * * *")
        {
            DemoForumPort = 0,
            DemoPublishInterval = TimeSpan.FromSeconds(2),
            // The tests' webhook receivers listen on loopback, as an intranet target would.
            Configuration = new Dictionary<string, string?> { ["Notifications:AllowPrivateNetwork"] = "true" },
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Runs <paramref name="query"/> against the database until it returns true or 60 s pass.</summary>
    public Task<bool> WaitUntilAsync(Func<WatchDbContext, Task<bool>> query) => _server.WaitUntilAsync(query);

    /// <summary>Waits until the first crawl has stored every seeded post.</summary>
    public Task<bool> WaitForSeedAsync() =>
        WaitUntilAsync(async db => await db.Posts.CountAsync() >= Server.Forum!.Content.SeedCount);
}

[CollectionDefinition(Name)]
public sealed class DemoServerGroup : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}
