namespace ExamNetWatch.Crawler.Fetching;

/// <summary>A request start reserved for a host: when it may start and how long to wait for that, on the schedule's clock.</summary>
/// <param name="Start">The reserved start.</param>
/// <param name="Wait">How long from now until <paramref name="Start"/> (zero when it may start at once).</param>
public sealed record HostSlot(DateTimeOffset Start, TimeSpan Wait);

/// <summary>
/// The per-host request schedule shared by every crawling process (the production profile's workers): two processes
/// never start requests to one host closer together than its delay. Without one, each process keeps its own.
/// </summary>
public interface ISharedHostSchedule
{
    /// <summary>Reserves the next start for <paramref name="host"/>, <paramref name="delay"/> after the one before it.</summary>
    Task<HostSlot> ReserveAsync(string host, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Pushes the next start for <paramref name="host"/> at least <paramref name="delay"/> from now (the host asked to slow down).</summary>
    Task DeferAsync(string host, TimeSpan delay, CancellationToken cancellationToken);
}
