using System.Text.Json;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>The notification targets as configured at start (appsettings / environment), the fallback for <see cref="NotificationSettings"/>.</summary>
public sealed record ConfiguredNotifications(NotificationOptions Options);

/// <summary>
/// The notification targets in force: those an admin saved on the settings page (in the database, so every process
/// sees them), else the configured ones. Saving is audited without secrets.
/// </summary>
public static class NotificationSettings
{
    /// <summary>The settings key.</summary>
    public const string Key = "notifications";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Returns the targets in force. Whether targets may be on private networks is the deployment's decision
    /// (configuration), never the dashboard's: an admin cannot point the notifier at the intranet.
    /// </summary>
    public static NotificationOptions Load(WatchDbContext db, NotificationOptions configured)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(configured);
        var saved = db.Settings.Find(Key);
        return saved is null ? configured
            : (JsonSerializer.Deserialize<NotificationOptions>(saved.Json, Json) ?? configured) with { AllowPrivateNetwork = configured.AllowPrivateNetwork };
    }

    /// <summary>Saves the targets and audits the change (names of targets, never their secrets); the caller saves the context.</summary>
    public static void Save(WatchDbContext db, AuditLog audit, NotificationOptions options, string actor, string? remoteAddress, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        var json = JsonSerializer.Serialize(options, Json);
        if (db.Settings.Find(Key) is { } entry)
        {
            entry.Json = json;
            entry.UpdatedBy = actor;
            entry.UpdatedAtUtc = nowUtc;
        }
        else
        {
            db.Settings.Add(new SettingEntry { Key = Key, Json = json, UpdatedBy = actor, UpdatedAtUtc = nowUtc });
        }

        var targets = options.Webhooks.Select(w => w.Name).Concat(options.Email is { } e ? [e.Name + " → " + string.Join(",", e.To)] : []);
        audit.Add(db, actor, AuditActions.SettingsNotifications, "settings:" + Key, $"min severity {options.MinSeverity}; targets {string.Join("; ", targets)}", remoteAddress);
    }
}
