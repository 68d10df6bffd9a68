using System.Numerics;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>
/// Finds the group of a new alert: an alert of the last <see cref="Window"/> that shares a contact with it (the same
/// QQ, WeChat id or phone number) or whose post is a near-duplicate (64-bit SimHash within
/// <see cref="MaxDistance"/> bits: the same ad reposted with small changes). The new alert joins that alert's group.
/// </summary>
public static class AlertGrouping
{
    /// <summary>How far back related alerts are looked for.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>The largest SimHash distance still counted as the same text.</summary>
    public const int MaxDistance = 3;

    /// <summary>Returns the group id for a new alert with <paramref name="contacts"/> and <paramref name="simHash"/>, or null.</summary>
    public static async Task<long?> FindGroupAsync(WatchDbContext db, IReadOnlyCollection<string> contacts, long simHash, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(contacts);
        var since = nowUtc - Window;
        if (await FindByContactAsync(db, contacts, since, long.MaxValue, cancellationToken) is { } group)
        {
            return group;
        }

        // Near-duplicates: a pass over the fingerprints of recent alerts (integers; tens of thousands take milliseconds).
        var recent = await db.Alerts.Where(a => a.CreatedAtUtc >= since)
            .Join(db.Posts, a => a.PostId, p => p.Id, (a, p) => new { a.Id, a.GroupId, p.SimHash })
            .ToListAsync(cancellationToken);
        var near = recent
            .Where(r => BitOperations.PopCount((ulong)(r.SimHash ^ simHash)) <= MaxDistance)
            .OrderBy(r => r.Id)
            .FirstOrDefault();
        return near is null ? null : near.GroupId ?? near.Id;
    }

    /// <summary>Returns the group of the first alert since <paramref name="since"/> (and before alert <paramref name="before"/>) sharing a contact, or null.</summary>
    public static async Task<long?> FindByContactAsync(WatchDbContext db, IReadOnlyCollection<string> contacts, DateTime since, long before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(contacts);
        if (contacts.Count == 0)
        {
            return null;
        }

        var shared = await db.AlertContacts
            .Where(c => contacts.Contains(c.Contact))
            .Join(db.Alerts.Where(a => a.CreatedAtUtc >= since && a.Id < before), c => c.AlertId, a => a.Id, (c, a) => new { a.Id, a.GroupId })
            .OrderBy(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return shared is null ? null : shared.GroupId ?? shared.Id;
    }
}
