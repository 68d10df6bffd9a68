using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A dashboard server of a test's own, in this process, on a fresh data directory that goes with it.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(string dataDir, RunningServer server)
    {
        DataDir = dataDir;
        Server = server;
    }

    public string DataDir { get; }

    public RunningServer Server { get; }

    /// <summary>Starts a server on a new temporary data directory with the settings <paramref name="settings"/> makes of it.</summary>
    public static async Task<TestServer> StartAsync(string name, Func<string, HostSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dataDir = Path.Combine(Path.GetTempPath(), $"enw-{name}-{Guid.NewGuid():N}");
        return new TestServer(dataDir, await ServerRunner.StartAsync(settings(dataDir), CancellationToken.None));
    }

    /// <summary>Runs <paramref name="query"/> against the database until it returns true or <paramref name="seconds"/> pass.</summary>
    public async Task<bool> WaitUntilAsync(Func<WatchDbContext, Task<bool>> query, int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(query);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
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

    public async ValueTask DisposeAsync()
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
}

/// <summary>Debian's Chromium (/usr/bin/chromium) as the browser tests run it: headless, no sandbox, nothing fetched in the background.</summary>
public static class TestChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
    }
}
