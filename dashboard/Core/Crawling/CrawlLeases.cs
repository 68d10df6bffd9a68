using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Crawling;

/// <summary>
/// One crawl of a source at a time across every process (table <c>CrawlLeases</c>). A crawl takes its source's lease
/// and renews it every <see cref="Renewal"/> while it runs; a holder that stops renewing (killed, cut off from the
/// store) loses it after <see cref="Duration"/>, so the retried job elsewhere can go on. A lease held by a process of
/// this machine that has ended is taken at once. Times are the workers' clocks: they should agree within seconds.
/// </summary>
public sealed class CrawlLeases(IServiceScopeFactory scopes, TimeProvider time, ILogger<CrawlLeases> logger)
{
    /// <summary>How long a lease holds without renewal.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>How often a running crawl renews its lease.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    private readonly string _owner = LeaseOwner.New();

    private ILogger Logger => logger;

    private TimeProvider Time => time;

    /// <summary>
    /// Takes the lease of <paramref name="sourceId"/>. If another process holds it, waits until that claim lapses: taken
    /// then, or null if the holder renewed it meanwhile (it is alive and crawling the source: this run is not needed).
    /// </summary>
    public async Task<Lease?> AcquireAsync(int sourceId, CancellationToken cancellationToken)
    {
        DateTime? seen = null;
        while (true)
        {
            var (taken, holder) = await TryTakeAsync(sourceId, cancellationToken);
            if (taken is not null)
            {
                return taken;
            }

            if (seen is { } before && holder!.UntilUtc > before)
            {
                Log.CrawlAlreadyRunning(logger, sourceId, holder.Owner);
                return null;
            }

            seen = holder!.UntilUtc;
            var wait = holder.UntilUtc - time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(1);
            await Task.Delay(wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > Duration ? Duration : wait, time, cancellationToken);
        }
    }

    private async Task<(Lease? Taken, Data.CrawlLease? Holder)> TryTakeAsync(int sourceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        if (await TakeAsync(db, sourceId, now, null, cancellationToken))
        {
            return (Start(sourceId, now), null);
        }

        var holder = await db.CrawlLeases.AsNoTracking().SingleOrDefaultAsync(l => l.SourceId == sourceId, cancellationToken);
        if (holder is null)
        {
            db.CrawlLeases.Add(new Data.CrawlLease { SourceId = sourceId, Owner = _owner, TakenAtUtc = now, UntilUtc = now + Duration });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (Start(sourceId, now), null);
            }
            catch (DbUpdateException)
            {
                // Another process inserted it first.
                db.ChangeTracker.Clear();
                holder = await db.CrawlLeases.AsNoTracking().SingleAsync(l => l.SourceId == sourceId, cancellationToken);
            }
        }

        if (LeaseOwner.IsDeadHere(holder.Owner) && await TakeAsync(db, sourceId, now, holder.Owner, cancellationToken))
        {
            return (Start(sourceId, now), null);
        }

        return (null, holder);
    }

    /// <summary>Takes the row if it lapsed, is already ours, or is held by <paramref name="deadOwner"/>.</summary>
    private async Task<bool> TakeAsync(WatchDbContext db, int sourceId, DateTime now, string? deadOwner, CancellationToken cancellationToken) =>
        await db.CrawlLeases
            .Where(l => l.SourceId == sourceId && (l.UntilUtc < now || l.Owner == _owner || (deadOwner != null && l.Owner == deadOwner)))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Owner, _owner).SetProperty(l => l.TakenAtUtc, now).SetProperty(l => l.UntilUtc, now + Duration), cancellationToken) == 1;

    private Lease Start(int sourceId, DateTime now) => new(this, sourceId, now + Duration);

    /// <summary>Moves the claim on; false if another process holds it now.</summary>
    internal async Task<bool> RenewAsync(int sourceId, DateTime until, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        return await db.CrawlLeases.Where(l => l.SourceId == sourceId && l.Owner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UntilUtc, until), cancellationToken) == 1;
    }

    internal async Task ReleaseAsync(int sourceId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        await db.CrawlLeases.Where(l => l.SourceId == sourceId && l.Owner == _owner).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>A lease held by this process: renewed in the background until disposed; <see cref="Lost"/> fires if it lapses.</summary>
    public sealed class Lease : IAsyncDisposable
    {
        private readonly CrawlLeases _leases;
        private readonly int _sourceId;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly Task _renewing;
        private DateTime _until;

        internal Lease(CrawlLeases leases, int sourceId, DateTime until)
        {
            _leases = leases;
            _sourceId = sourceId;
            _until = until;
            _renewing = Task.Run(RenewLoopAsync);
        }

        /// <summary>Gets a token cancelled when the lease is lost: another process took it, or renewal failed past its expiry.</summary>
        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            try
            {
                await _leases.ReleaseAsync(_sourceId);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // It lapses by itself.
                Log.CrawlLeaseRenewalFailed(_leases.Logger, _sourceId, e.Message);
            }

            _stop.Dispose();
            _lost.Dispose();
        }

        private async Task RenewLoopAsync()
        {
            var time = _leases.Time;
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Renewal, time, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var until = time.GetUtcNow().UtcDateTime + Duration;
                try
                {
                    if (!await _leases.RenewAsync(_sourceId, until, _stop.Token))
                    {
                        Log.CrawlLeaseLost(_leases.Logger, _sourceId);
                        await _lost.CancelAsync();
                        return;
                    }

                    _until = until;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
                {
                    Log.CrawlLeaseRenewalFailed(_leases.Logger, _sourceId, e.Message);
                    if (time.GetUtcNow().UtcDateTime >= _until)
                    {
                        Log.CrawlLeaseLost(_leases.Logger, _sourceId);
                        await _lost.CancelAsync();
                        return;
                    }
                }
            }
        }
    }
}
