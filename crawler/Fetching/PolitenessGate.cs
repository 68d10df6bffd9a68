using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// Per-host politeness shared by every crawl in the process: at most <see cref="FetcherOptions.MaxConcurrencyPerHost"/>
/// requests at a time to one host, and at least the host's delay between the starts of two requests (the larger of
/// the source's delay and robots.txt Crawl-delay) and, through <see cref="DeferAsync"/>, between an answer and the next
/// start (further with Retry-After). With a <see cref="ISharedHostSchedule"/> (the production profile) the spacing
/// holds across every process.
/// </summary>
public sealed class PolitenessGate(TimeProvider time, IOptions<FetcherOptions> options, ISharedHostSchedule? shared = null)
{
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _maxConcurrency = options.Value.MaxConcurrencyPerHost;

    /// <summary>Waits for the host's turn; dispose the result when the response has been read.</summary>
    public async Task<IDisposable> EnterAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
    {
        var state = _hosts.GetOrAdd(host, _ => new HostState(_maxConcurrency));
        await state.Slots.WaitAsync(cancellationToken);
        try
        {
            TimeSpan wait;
            if (shared is not null)
            {
                wait = (await shared.ReserveAsync(host, delay, cancellationToken)).Wait;
            }
            else
            {
                lock (state)
                {
                    var now = time.GetUtcNow();
                    var start = state.NextStart > now ? state.NextStart : now;
                    wait = start - now;
                    state.NextStart = start + delay;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken);
            }

            return new Release(state);
        }
        catch
        {
            state.Slots.Release();
            throw;
        }
    }

    /// <summary>Pushes the host's next start at least <paramref name="delay"/> from now (after an answer; Retry-After, 429/503), in every process.</summary>
    public async Task DeferAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (shared is not null)
        {
            await shared.DeferAsync(host, delay, cancellationToken);
            return;
        }

        var state = _hosts.GetOrAdd(host, _ => new HostState(_maxConcurrency));
        lock (state)
        {
            var until = time.GetUtcNow() + delay;
            if (until > state.NextStart)
            {
                state.NextStart = until;
            }
        }
    }

    private sealed class HostState(int slots)
    {
        public SemaphoreSlim Slots { get; } = new(slots, slots);

        public DateTimeOffset NextStart { get; set; }
    }

    private sealed class Release(HostState state) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                state.Slots.Release();
            }
        }
    }
}
