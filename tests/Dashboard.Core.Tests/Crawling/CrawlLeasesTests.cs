using System.Diagnostics;
using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Crawling;

/// <summary>One crawl of a source at a time across processes: each <see cref="CrawlLeases"/> here is one process.</summary>
public sealed class CrawlLeasesTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private TempDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TempDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task AHeldLeaseThatIsRenewed_TurnsTheSecondCrawlAway_AndOtherSourcesAreFree()
    {
        var first = _database.NewLeases(_time);
        var second = _database.NewLeases(_time);
        await using var held = await first.AcquireAsync(1, CancellationToken.None);
        Assert.NotNull(held);

        var waiting = second.AcquireAsync(1, CancellationToken.None);
        await using (var other = await second.AcquireAsync(2, CancellationToken.None))
        {
            Assert.NotNull(other);
        }

        // The holder renews after 20 s; the second process, waking when the first claim would have lapsed, sees it renewed.
        var before = await UntilAsync(1);
        await AdvanceUntilAsync(CrawlLeases.Renewal, async () => await UntilAsync(1) > before);
        Assert.False(waiting.IsCompleted);
        _time.Advance(CrawlLeases.Duration);

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(held!.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task AHolderThatStoppedRenewing_LosesTheLeaseWhenItLapses()
    {
        await using (var db = _database.NewContext())
        {
            var now = _time.GetUtcNow().UtcDateTime;
            db.CrawlLeases.Add(new CrawlLease { SourceId = 7, Owner = "other-machine:4242:0123", TakenAtUtc = now, UntilUtc = now + CrawlLeases.Duration });
            await db.SaveChangesAsync();
        }

        var waiting = _database.NewLeases(_time).AcquireAsync(7, CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        _time.Advance(CrawlLeases.Duration + TimeSpan.FromSeconds(2));

        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(taken);
        await using var db2 = _database.NewContext();
        Assert.DoesNotContain("other-machine", (await db2.CrawlLeases.SingleAsync(l => l.SourceId == 7)).Owner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALeaseOfAProcessOfThisMachineThatEnded_IsTakenAtOnce()
    {
        using var ended = Process.Start(new ProcessStartInfo("true"))!;
        await ended.WaitForExitAsync();
        await using (var db = _database.NewContext())
        {
            var now = _time.GetUtcNow().UtcDateTime;
            db.CrawlLeases.Add(new CrawlLease { SourceId = 3, Owner = FormattableString.Invariant($"{Environment.MachineName}:{ended.Id}:0123"), TakenAtUtc = now, UntilUtc = now + CrawlLeases.Duration });
            await db.SaveChangesAsync();
        }

        await using var taken = await _database.NewLeases(_time).AcquireAsync(3, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(taken);
    }

    [Fact]
    public async Task ALeaseTakenOverByAnotherProcess_TellsItsCrawlToStop()
    {
        await using var held = await _database.NewLeases(_time).AcquireAsync(5, CancellationToken.None);
        await using (var db = _database.NewContext())
        {
            await db.CrawlLeases.Where(l => l.SourceId == 5).ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, "other-machine:1:ab"));
        }

        await AdvanceUntilAsync(CrawlLeases.Renewal, () => Task.FromResult(held!.Lost.IsCancellationRequested));

        Assert.True(held!.Lost.IsCancellationRequested);
    }

    [Fact]
    public async Task AFinishedCrawl_ReleasesItsLease_SoTheNextStartsAtOnce()
    {
        var first = _database.NewLeases(_time);
        await using (var held = await first.AcquireAsync(9, CancellationToken.None))
        {
            Assert.NotNull(held);
        }

        await using var next = await _database.NewLeases(_time).AcquireAsync(9, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(next);
    }

    private async Task<DateTime> UntilAsync(int sourceId)
    {
        await using var db = _database.NewContext();
        return (await db.CrawlLeases.AsNoTracking().SingleAsync(l => l.SourceId == sourceId)).UntilUtc;
    }

    /// <summary>
    /// Moves the clock on by <paramref name="step"/> and waits (real time) until the background work it woke has done
    /// <paramref name="done"/>. On a loaded machine the work may set its timer only after the first move, so the clock
    /// is moved on again by the same step every half second until it has.
    /// </summary>
    private async Task AdvanceUntilAsync(TimeSpan step, Func<Task<bool>> done)
    {
        _time.Advance(step);
        var moved = Stopwatch.StartNew();
        for (var wait = Stopwatch.StartNew(); !await done(); await Task.Delay(20))
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(30), "the background work did not happen");
            if (moved.Elapsed > TimeSpan.FromMilliseconds(500))
            {
                _time.Advance(step);
                moved.Restart();
            }
        }
    }
}
