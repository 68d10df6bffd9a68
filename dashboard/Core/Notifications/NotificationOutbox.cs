using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>
/// The notifications still to send. <see cref="Enqueue"/> adds a row through the caller's context, so it commits with
/// the alert; <see cref="DrainAsync"/> (queued right after the commit, and every minute for anything a killed process
/// left behind) sends each one through <see cref="AlertNotifier"/> — which records each target it reached, so a
/// retry never announces an alert twice on one target — and removes the row when every target has it. A failure
/// waits with back-off (30 s doubling, at most 30 min) and keeps retrying; the row says why it waits.
/// </summary>
public sealed partial class NotificationOutbox(WatchDbContext db, AlertNotifier notifier, TimeProvider time, ILogger<NotificationOutbox> logger)
{
    /// <summary>How long a drain holds the rows it took.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30), LastRetry = TimeSpan.FromMinutes(30);

    private readonly string _owner = LeaseOwner.New();

    /// <summary>Asks for <paramref name="alertId"/> to be announced; the caller's save commits it.</summary>
    public static void Enqueue(WatchDbContext db, long alertId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.NotificationOutbox.Add(new NotificationOutboxEntry { AlertId = alertId, EnqueuedAtUtc = nowUtc });
    }

    /// <summary>Sends every notification that is due; returns how many alerts reached all their targets.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await ReleaseDeadLeasesAsync(now, cancellationToken);
        var due = await db.NotificationOutbox
            .Where(e => (e.NextAttemptAtUtc == null || e.NextAttemptAtUtc <= now) && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .OrderBy(e => e.Id).Select(e => e.Id).Take(100).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        var until = now + Lease;
        await db.NotificationOutbox.Where(e => due.Contains(e.Id) && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, _owner).SetProperty(e => e.LeaseUntilUtc, until), cancellationToken);
        var taken = await db.NotificationOutbox.Where(e => e.LeaseOwner == _owner && e.LeaseUntilUtc == until).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        KillPoint.Reach("notify.leased");
        var sent = 0;
        foreach (var entry in taken)
        {
            try
            {
                await notifier.SendAsync(entry.AlertId, cancellationToken);
                KillPoint.Reach("notify.sent");
                db.NotificationOutbox.Remove(entry);
                sent++;
            }
            catch (InvalidOperationException e)
            {
                entry.Attempts++;
                var wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(entry.Attempts - 1, 16)));
                entry.NextAttemptAtUtc = time.GetUtcNow().UtcDateTime + wait;
                entry.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
                entry.LeaseOwner = null;
                entry.LeaseUntilUtc = null;
                Log.NotificationWaiting(logger, entry.AlertId, entry.Attempts, wait);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return sent;
    }

    /// <summary>Frees the leases of processes of this machine that died while holding them (see <see cref="LeaseOwner"/>).</summary>
    private async Task ReleaseDeadLeasesAsync(DateTime now, CancellationToken cancellationToken)
    {
        var owners = await db.NotificationOutbox.Where(e => e.LeaseUntilUtc != null && e.LeaseUntilUtc >= now).Select(e => e.LeaseOwner).Distinct().ToListAsync(cancellationToken);
        var dead = owners.Where(LeaseOwner.IsDeadHere).ToList();
        if (dead.Count > 0)
        {
            await db.NotificationOutbox.Where(e => dead.Contains(e.LeaseOwner))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, (string?)null).SetProperty(e => e.LeaseUntilUtc, (DateTime?)null), cancellationToken);
        }
    }
}
