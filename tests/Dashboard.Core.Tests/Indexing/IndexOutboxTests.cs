using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Indexing;

/// <summary>The outbox between ingest and the index, with a real Lucene index whose directory another writer locks.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in DisposeAsync (IAsyncLifetime).")]
public sealed class IndexOutboxTests : IAsyncLifetime
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());
    private readonly string _indexPath = Path.Combine(Path.GetTempPath(), "enw-outbox-" + Guid.NewGuid().ToString("N"));
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;
    private LucenePostIndex _index = null!;
    private IndexingWorker _worker = null!;
    private IndexingStatus _status = null!;
    private int _sourceId;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _sourceId = await _database.AddBareSourceAsync();

        _index = new LucenePostIndex(_indexPath, ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term)));
        _services = new ServiceCollection()
            .AddScoped(_ => _database.NewContext())
            .BuildServiceProvider();
        _status = new IndexingStatus();
        _worker = new IndexingWorker(
            _services.GetRequiredService<IServiceScopeFactory>(),
            _index,
            new IndexingSignal(),
            _status,
            new IndexingOptions { BatchSize = 7, Retries = 1, MaxBackoff = TimeSpan.Zero },
            TimeProvider.System,
            NullLogger<IndexingWorker>.Instance);
    }

    public async Task DisposeAsync()
    {
        _worker.Dispose();
        _index.Dispose();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_indexPath, recursive: true);
    }

    [Fact]
    public async Task IndexDownDuringIngest_AfterRecoveryEveryPostIsSearchableExactlyOnce()
    {
        // Another writer holds the Lucene directory: the index is "down".
        var generation = Path.Combine(_indexPath, File.ReadAllText(Path.Combine(_indexPath, "CURRENT")).Trim());
        var other = Lucene.Net.Store.FSDirectory.Open(generation);
        var writeLock = other.MakeLock("write.lock");
        Assert.True(writeLock.Obtain());

        await IngestAsync(Enumerable.Range(1, 20).Select(i => $"出售作弊器第{i}号，微信 seller{i:00}x"));
        Assert.Equal(0, await _worker.DrainOnceAsync(CancellationToken.None));
        var status = await BacklogAsync();
        Assert.Equal(20, status.Count);
        // The batch that was tried (7) is put back with the reason and a delay; the rest were not reached yet.
        Assert.Equal(7, status.Count(e => e.Attempts == 1 && e.NextAttemptAtUtc is not null && e.LastError!.Contains("locked", StringComparison.Ordinal)));

        // More posts arrive while it is still down; then it comes back.
        await IngestAsync(Enumerable.Range(21, 5).Select(i => $"出售作弊器第{i}号，微信 seller{i:00}x"));
        writeLock.Dispose();
        other.Dispose();
        await ClearBackoffAsync();
        while (await _worker.DrainOnceAsync(CancellationToken.None) > 0)
        {
        }

        Assert.Empty(await BacklogAsync());
        Assert.Equal(25, await _index.CountAsync());
        var found = await _index.SearchAsync(new SearchRequest { Query = "作弊器", PageSize = 100 });
        Assert.Equal(25, found.Total);
        Assert.Equal(25, found.Hits.Select(h => h.PostId).Distinct().Count());
    }

    [Fact]
    public async Task EntryReplayedAfterASuccess_LeavesOneDocument()
    {
        await IngestAsync(["出售作弊器，微信 seller01x"]);
        await _worker.DrainOnceAsync(CancellationToken.None);
        await using (var db = _database.NewContext())
        {
            IndexOutbox.Enqueue(db, (await db.Posts.SingleAsync()).Id, TimeProvider.System.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        await _worker.DrainOnceAsync(CancellationToken.None);

        Assert.Equal(1, await _index.CountAsync());
        Assert.Empty(await BacklogAsync());
    }

    [Fact]
    public async Task PostGoneFromTheDatabase_IsRemovedFromTheIndex()
    {
        await IngestAsync(["出售作弊器，微信 seller01x", "出售答案，微信 seller02x"]);
        await _worker.DrainOnceAsync(CancellationToken.None);
        await using (var db = _database.NewContext())
        {
            var post = await db.Posts.OrderBy(p => p.Id).FirstAsync();
            await db.Alerts.Where(a => a.PostId == post.Id).ExecuteDeleteAsync();
            db.Posts.Remove(post);
            IndexOutbox.Enqueue(db, post.Id, TimeProvider.System.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        await _worker.DrainOnceAsync(CancellationToken.None);

        // The post that went is the one gone from the index; the other is still found.
        Assert.Equal(1, await _index.CountAsync());
        Assert.Equal(0, (await _index.SearchAsync(new SearchRequest { Query = "seller01x" })).Total);
        Assert.Equal(1, (await _index.SearchAsync(new SearchRequest { Query = "seller02x" })).Total);
    }

    [Fact]
    public async Task EmptyIndexBesideADatabaseWithPosts_IsRefilledFromTheDatabase()
    {
        await IngestAsync(["出售作弊器，微信 seller01x", "数学复习到哪了"]);
        await _worker.DrainOnceAsync(CancellationToken.None);
        Assert.Equal(2, await _index.CountAsync());
        Assert.Equal(0, await _worker.RefillIfEmptyAsync(CancellationToken.None)); // a full index is left alone

        // The index emptied after indexing (its folder deleted and made again), the outbox long drained.
        await _index.DeleteAsync([.. (await _index.SearchAsync(new SearchRequest { Query = "seller01x" })).Hits.Select(h => h.PostId)
            .Concat((await _index.SearchAsync(new SearchRequest { Query = "数学" })).Hits.Select(h => h.PostId))]);
        Assert.Equal(0, await _index.CountAsync());

        Assert.Equal(2, await _worker.RefillIfEmptyAsync(CancellationToken.None));
        Assert.Equal(0, await _worker.RefillIfEmptyAsync(CancellationToken.None)); // queued once, not again
        while (await _worker.DrainOnceAsync(CancellationToken.None) > 0)
        {
        }

        Assert.Equal(2, await _index.CountAsync());
        Assert.Equal(1, (await _index.SearchAsync(new SearchRequest { Query = "seller01x" })).Total);
        Assert.Equal(0, await _worker.RefillIfEmptyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StoreGoneWhileRunning_TheWorkerKeepsRunning_AndIndexesWhatComesAfterItReturns()
    {
        await _worker.StartAsync(CancellationToken.None);
        try
        {
            await IngestAsync(["出售作弊器第1号，微信 seller01x"]);
            await UntilAsync(async () => await _index.CountAsync() == 1, "the first post is indexed");

            // The store goes away (a PostgreSQL restart or failover; a SQLite file moved): the worker's polls fail.
            await _database.TakeAwayAsync();
            await UntilAsync(() => Task.FromResult(_status.LastError is not null || _worker.ExecuteTask!.IsCompleted), "the worker notices the store is gone");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(_worker.ExecuteTask!.IsCompleted, "the outbox worker stopped (and with it the host) because the store was down");

            await _database.BringBackAsync();
            await IngestAsync(["出售作弊器第2号，微信 seller02x"]);
            await UntilAsync(async () => await _index.CountAsync() == 2, "the post made after the store came back is indexed");
        }
        finally
        {
            await _worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); !await done(); await Task.Delay(50))
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting until " + what);
        }
    }

    private async Task IngestAsync(IEnumerable<string> texts)
    {
        await using var db = _database.NewContext();
        var ingestor = new PostIngestor(db, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance);
        var n = await db.Posts.CountAsync();
        foreach (var text in texts)
        {
            n++;
            var id = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ingestor.AcceptAsync(
                TestPosts.Crawled(_sourceId, "1", id, text, floor: n),
                CancellationToken.None);
        }
    }

    private async Task<List<IndexOutboxEntry>> BacklogAsync()
    {
        await using var db = _database.NewContext();
        return await db.IndexOutbox.AsNoTracking().ToListAsync();
    }

    private async Task ClearBackoffAsync()
    {
        await using var db = _database.NewContext();
        await db.IndexOutbox.ExecuteUpdateAsync(s => s.SetProperty(e => e.NextAttemptAtUtc, (DateTime?)null));
    }
}
