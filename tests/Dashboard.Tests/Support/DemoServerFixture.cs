using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// The whole demo in this process, as <c>examnetwatch demo</c> runs it: demo forum and dashboard on free loopback
/// ports, Hangfire on SQLite, a fresh data directory; a new forum post every 2 s and a crawl every 2 s.
/// </summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "enw-demo-" + Guid.NewGuid().ToString("N"));

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ServerRunner.StartAsync(
            new HostSettings(DataDir, "http://127.0.0.1:0", "*/2 * * * * *")
            {
                DemoForumPort = 0,
                DemoPublishInterval = TimeSpan.FromSeconds(2),
                // The tests' webhook receivers listen on loopback, as an intranet target would.
                Configuration = new Dictionary<string, string?> { ["Notifications:AllowPrivateNetwork"] = "true" },
            },
            CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing handle; the temp folder is cleaned by the OS.
        }
    }

    /// <summary>Runs <paramref name="query"/> against the database until it returns true or 60 s pass.</summary>
    public async Task<bool> WaitUntilAsync(Func<WatchDbContext, Task<bool>> query)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await using (var scope = Server.App.Services.CreateAsyncScope())
            {
                if (await query(scope.ServiceProvider.GetRequiredService<WatchDbContext>()))
                {
                    return true;
                }
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>Waits until the first crawl has stored every seeded post.</summary>
    public Task<bool> WaitForSeedAsync() =>
        WaitUntilAsync(async db => await db.Posts.CountAsync() >= Server.Forum!.Content.SeedCount);
}

[CollectionDefinition(Name)]
public sealed class DemoServerGroup : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}
