using System.Data.Common;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Tests.Support;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExamNetWatch.Dashboard.Tests.Ingestion;

/// <summary>
/// Two processes taking the same post at the same moment (two crawls overlapping while a lease changes hands): the
/// second one's insert meets the first one's row. One post, one alert, one announcement, and the second crawl goes on.
/// </summary>
public sealed class ConcurrentIngestTests : IAsyncLifetime
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());
    private TempDatabase _database = null!;
    private int _sourceId;

    public async Task InitializeAsync()
    {
        _database = await TempDatabase.CreateAsync();
        _sourceId = await _database.AddBareSourceAsync();
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("出售今年中考数学答案，考前发货，加微信 zk2027da", 1)]
    [InlineData("今天复习了三角函数，明天继续做卷子", 0)]
    public async Task TheSamePostStoredByAnotherProcessBetweenCheckAndSave_IsKeptOnce_AndTheNextPostStillGoesIn(string text, int alerts)
    {
        var post = TestPosts.Crawled(_sourceId, "1", "1", text);
        var announced = new List<long>();
        var feed = new RecordingFeed(announced);
        var other = new RunFirst(async () =>
        {
            // The other process: checks, detects and commits first.
            await using var db = _database.NewContext();
            await new PostIngestor(db, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance, feed).AcceptAsync(post, CancellationToken.None);
        });

        await using (var db = _database.NewContext(other))
        {
            var ingestor = new PostIngestor(db, Detector, new IndexingSignal(), new AuditLog(TimeProvider.System), TimeProvider.System, NullLogger<PostIngestor>.Instance, feed);
            await ingestor.AcceptAsync(post, CancellationToken.None);
            Assert.True(other.Ran, "the other process stored the post between this one's check and its insert");
            Assert.Equal(0, ingestor.NewPosts);

            await ingestor.AcceptAsync(TestPosts.Crawled(_sourceId, "1", "2", "下一楼：周末一起去图书馆"), CancellationToken.None);
            Assert.Equal(1, ingestor.NewPosts);
        }

        await using var check = _database.NewContext();
        Assert.Equal(1, await check.Posts.CountAsync(p => p.Id == post.StableId));
        Assert.Equal(alerts, await check.Alerts.CountAsync());
        Assert.Equal(alerts, await check.Audit.CountAsync(a => a.Action == AuditActions.AlertRaise));
        Assert.Equal(alerts, announced.Count);
        Assert.Equal(2, await check.IndexOutbox.CountAsync());
        Assert.True((await AuditChain.VerifyAsync(check, CancellationToken.None)).Holds);
    }

    /// <summary>Runs <c>first</c> once, when this context first opens a transaction or saves: after its check, before its insert.</summary>
    private sealed class RunFirst(Func<Task> first) : DbTransactionInterceptor, ISaveChangesInterceptor
    {
        public bool Ran { get; private set; }

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            await OnceAsync();
            return result;
        }

        public async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await OnceAsync();
            return result;
        }

        private async Task OnceAsync()
        {
            if (!Ran)
            {
                Ran = true;
                await first();
            }
        }
    }

    private sealed class RecordingFeed(List<long> announced) : IAlertFeed
    {
        public void Publish(NewAlert alert)
        {
            lock (announced)
            {
                announced.Add(alert.Id);
            }
        }
    }
}
