using ExamNetWatch.Crawler.Fetching;
using Microsoft.Extensions.Options;
using ExamNetWatch.Crawler.Tests.Support;

namespace ExamNetWatch.Crawler.Tests.Fetching;

public sealed class PolitenessGateTests
{
    // The clock moves only once the gate has scheduled the wait the test means to end (see WatchedFakeTime).
    private readonly WatchedFakeTime _time = new(new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EnterAsync_SameHostTwice_SecondWaitsForTheDelay()
    {
        var gate = new PolitenessGate(_time, Options.Create(new FetcherOptions { MaxConcurrencyPerHost = 4 }));
        using (await gate.EnterAsync("bbs.test", TimeSpan.FromSeconds(2), CancellationToken.None))
        {
        }

        var second = gate.EnterAsync("bbs.test", TimeSpan.FromSeconds(2), CancellationToken.None);
        var other = gate.EnterAsync("news.test", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        await _time.UntilScheduledAsync(TimeSpan.FromSeconds(2));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await other).Dispose();
    }

    [Fact]
    public async Task EnterAsync_OneSlotPerHost_SecondWaitsUntilTheFirstIsReleased()
    {
        var gate = new PolitenessGate(_time, Options.Create(new FetcherOptions { MaxConcurrencyPerHost = 1 }));
        var first = await gate.EnterAsync("bbs.test", TimeSpan.Zero, CancellationToken.None);

        var second = gate.EnterAsync("bbs.test", TimeSpan.Zero, CancellationToken.None);
        // Nothing but the release lets it in: not the clock, however far it moves.
        _time.Advance(TimeSpan.FromHours(1));
        await Task.Yield();
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task Defer_RetryAfter_HoldsTheHostBack()
    {
        var gate = new PolitenessGate(_time, Options.Create(new FetcherOptions()));
        await gate.DeferAsync("bbs.test", TimeSpan.FromSeconds(30), CancellationToken.None);

        var next = gate.EnterAsync("bbs.test", TimeSpan.Zero, CancellationToken.None);
        await _time.UntilScheduledAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task EnterAsync_WithASharedSchedule_WaitsAsItSaysAndPassesDeferralsOn()
    {
        // Another worker reserved the host's next 30 s: this process waits for them, whatever its own record says.
        var shared = new FixedSchedule(TimeSpan.FromSeconds(30));
        var gate = new PolitenessGate(_time, Options.Create(new FetcherOptions()), shared);

        var turn = gate.EnterAsync("bbs.test", TimeSpan.FromSeconds(2), CancellationToken.None);
        await _time.UntilScheduledAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(turn.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        (await turn.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        await gate.DeferAsync("bbs.test", TimeSpan.FromSeconds(90), CancellationToken.None);

        Assert.Equal([("bbs.test", TimeSpan.FromSeconds(2))], shared.Reserved);
        Assert.Equal([("bbs.test", TimeSpan.FromSeconds(90))], shared.Deferred);
    }

    private sealed class FixedSchedule(TimeSpan wait) : ISharedHostSchedule
    {
        public List<(string Host, TimeSpan Delay)> Reserved { get; } = [];

        public List<(string Host, TimeSpan Delay)> Deferred { get; } = [];

        public Task<HostSlot> ReserveAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
        {
            Reserved.Add((host, delay));
            return Task.FromResult(new HostSlot(DateTimeOffset.UnixEpoch, wait));
        }

        public Task DeferAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
        {
            Deferred.Add((host, delay));
            return Task.CompletedTask;
        }
    }
}
