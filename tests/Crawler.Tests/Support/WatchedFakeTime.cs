using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Crawler.Tests.Support;

/// <summary>
/// A fake clock that also says which waits the code under test has scheduled on it, so a test advances time only
/// once the wait it means to end exists (advancing first would start the wait late, and the test would hang).
/// </summary>
public sealed class WatchedFakeTime(DateTimeOffset start) : FakeTimeProvider(start)
{
    /// <summary>Gets the due times of the timers created so far (delays, timeouts), in order.</summary>
    public ConcurrentQueue<TimeSpan> Scheduled { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Scheduled.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Waits (real time, at most 30 s) until a timer of at least <paramref name="dueTime"/> has been scheduled.</summary>
    public async Task UntilScheduledAsync(TimeSpan dueTime)
    {
        for (var wait = global::System.Diagnostics.Stopwatch.StartNew(); !Scheduled.Any(d => d >= dueTime); await Task.Delay(10))
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException(FormattableString.Invariant($"no wait of {dueTime} or more was scheduled (scheduled: {string.Join(", ", Scheduled)})"));
            }
        }
    }

    /// <summary>
    /// Waits (real time, at most 30 s) until <paramref name="count"/> timers of exactly <paramref name="dueTime"/> have
    /// been scheduled in all (not a longer timeout; count the earlier ones of the same length too).
    /// </summary>
    public async Task UntilScheduledExactlyAsync(TimeSpan dueTime, int count = 1)
    {
        for (var wait = global::System.Diagnostics.Stopwatch.StartNew(); Scheduled.Count(d => d == dueTime) < count; await Task.Delay(10))
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException(FormattableString.Invariant($"no wait of exactly {dueTime} was scheduled (scheduled: {string.Join(", ", Scheduled)})"));
            }
        }
    }
}
