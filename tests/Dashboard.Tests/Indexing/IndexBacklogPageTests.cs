using System.Net;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Indexing;

/// <summary>The alert queue tells staff when the search index lags behind (README "Search index"), and stops when it has caught up.</summary>
public sealed class IndexBacklogPageTests : IAsyncLifetime
{
    private TestServer _test = null!;

    public async Task InitializeAsync() =>
        _test = await TestServer.StartAsync("backlog", dataDir => new HostSettings(dataDir, "http://127.0.0.1:0", "0 0 1 1 *"));

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task QueuePage_IndexDownWithABacklog_SaysHowManyWaitAndWhy_AndTheNoticeGoesWhenItDrains()
    {
        var server = _test.Server;
        var (client, _) = await SignedInClient.SignInAsync(server.DashboardUrl, server.UserName!, server.Password!);
        using var _ = client;
        Assert.DoesNotContain("id=\"index-backlog\"", await client.GetStringAsync(string.Empty), StringComparison.Ordinal);

        // The state the indexing worker leaves when the index cannot be written: 150 changes waiting for their retry,
        // and the worker's last error.
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            db.IndexOutbox.AddRange(Enumerable.Range(1, 150).Select(i => new IndexOutboxEntry
            {
                PostId = $"s1-t1-p{i}",
                EnqueuedAtUtc = now,
                Attempts = 3,
                NextAttemptAtUtc = now.AddHours(1),
                LastError = "Lucene directory locked",
            }));
            await db.SaveChangesAsync();
        }

        server.App.Services.GetRequiredService<IndexingStatus>().Failed(TimeProvider.System.GetUtcNow(), "Lucene 目录被另一进程锁定");
        var page = await client.GetStringAsync(string.Empty);
        Assert.Contains("id=\"index-backlog\"", page, StringComparison.Ordinal);
        Assert.Contains("搜索索引积压 150 条待写入；索引暂不可用：Lucene 目录被另一进程锁定。告警不受影响，索引恢复后会自动补齐。", WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        // The index is back: the changes fall due, the worker drains them, and the notice is gone.
        await using (var scope = server.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<WatchDbContext>().IndexOutbox.ExecuteUpdateAsync(u => u.SetProperty(e => e.NextAttemptAtUtc, (DateTime?)null));
        }

        server.App.Services.GetRequiredService<IndexingSignal>().Notify();
        Assert.True(await _test.WaitUntilAsync(async db => !await db.IndexOutbox.AnyAsync(), seconds: 90), "the backlog did not drain");
        Assert.DoesNotContain("id=\"index-backlog\"", await client.GetStringAsync(string.Empty), StringComparison.Ordinal);
    }
}
