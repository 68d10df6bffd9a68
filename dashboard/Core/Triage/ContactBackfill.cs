using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>
/// Gives alerts raised before contacts and groups were stored (databases older than the triage schema) their
/// contacts, read from the detection saved with each post, and their group by shared contact, in the order they were
/// raised. Runs
/// once per database at start, in batches; a marker in the settings table records that it is done.
/// </summary>
public static class ContactBackfill
{
    /// <summary>The settings key that marks the back-fill as done.</summary>
    public const string Marker = "backfill.alert-contacts";

    private const int Batch = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Back-fills contacts and groups once; returns how many alerts got contacts.</summary>
    public static async Task<int> RunAsync(WatchDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        if (await db.Settings.AnyAsync(s => s.Key == Marker, cancellationToken))
        {
            return 0;
        }

        var filled = 0;
        long last = 0;
        while (true)
        {
            var alerts = await db.Alerts
                .Where(a => a.Id > last && !db.AlertContacts.Any(c => c.AlertId == a.Id))
                .OrderBy(a => a.Id)
                .Take(Batch)
                .Join(db.Posts, a => a.PostId, p => p.Id, (a, p) => new { Alert = a, p.DetectionJson, p.SimHash })
                .ToListAsync(cancellationToken);
            if (alerts.Count == 0)
            {
                break;
            }

            foreach (var row in alerts)
            {
                var contacts = Contacts(row.DetectionJson);
                if (contacts.Count > 0)
                {
                    db.AlertContacts.AddRange(contacts.Select(c => new AlertContact { AlertId = row.Alert.Id, Contact = c }));
                    filled++;
                }

                // Groups by shared contact only: a near-duplicate pass per old alert would cost a scan of every alert.
                row.Alert.GroupId ??= await AlertGrouping.FindByContactAsync(db, contacts, row.Alert.CreatedAtUtc - AlertGrouping.Window, row.Alert.Id, cancellationToken);
                // Each alert is saved before the next is grouped, so later alerts see the contacts of earlier ones.
                await db.SaveChangesAsync(cancellationToken);
            }

            last = alerts[^1].Alert.Id;
            db.ChangeTracker.Clear();
        }

        db.Settings.Add(new SettingEntry { Key = Marker, Json = FormattableString.Invariant($"{{\"alerts\":{filled}}}"), UpdatedBy = AuditLog.System, UpdatedAtUtc = time.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        return filled;
    }

    private static List<string> Contacts(string detectionJson)
    {
        try
        {
            var verdict = JsonSerializer.Deserialize<Indexer.Detection.DetectionResult>(detectionJson, Json);
            return verdict is null ? [] : [.. verdict.Contacts.Select(c => $"{c.Kind}:{c.Value}").Where(c => c.Length <= 200).Distinct(StringComparer.Ordinal)];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
