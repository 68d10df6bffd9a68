using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// The whole demo in this process, as <c>examnetwatch demo</c> runs it: demo forum and dashboard on free loopback
/// ports, Hangfire on SQLite, a fresh data directory; a new forum post every 2 s and a crawl every 2 s.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class DemoServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private TestServer _server = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

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

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _browserLock.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>
    /// The collection's one Chromium, started by the first browser test that asks for it: each test opens its own
    /// contexts in it (separate cookies and storage) instead of starting a browser of its own.
    /// </summary>
    public async Task<IBrowser> BrowserAsync()
    {
        await _browserLock.WaitAsync();
        try
        {
            if (_browser is not { IsConnected: true })
            {
                _playwright ??= await Playwright.CreateAsync();
                _browser = await TestChromium.LaunchAsync(_playwright);
            }

            return _browser;
        }
        finally
        {
            _browserLock.Release();
        }
    }

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
