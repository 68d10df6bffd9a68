using System.Security.Cryptography;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.DataProtection;

namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>The notification targets as configured at start (appsettings / environment), the fallback for <see cref="NotificationSettings"/>.</summary>
public sealed record ConfiguredNotifications(NotificationOptions Options);

/// <summary>
/// The notification targets in force: those an admin saved on the settings page (in the database, so every process
/// sees them), else the configured ones. Saving is audited without secrets, and the secrets themselves (a DingTalk
/// signing secret, an SMTP password) are stored only encrypted with the installation's Data Protection keys
/// (<c>keys/</c> of the data directory): the settings table, a backup of it or an evidence export never holds them
/// in clear.
/// </summary>
public static class NotificationSettings
{
    /// <summary>The settings key.</summary>
    public const string Key = "notifications";

    /// <summary>The Data Protection purpose the secrets are encrypted for.</summary>
    public const string SecretPurpose = "ExamNetWatch.Notifications.Secrets.v1";

    // A stored secret is this prefix and the protected payload; a value without it was saved before secrets were
    // encrypted and is read as it is until the next save encrypts it.
    private const string Protected = "protected:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Returns the targets in force. Whether targets may be on private networks is the deployment's decision
    /// (configuration), never the dashboard's: an admin cannot point the notifier at the intranet.
    /// </summary>
    /// <remarks>A secret the keys cannot decrypt (the <c>keys/</c> directory was replaced) reads as none: the target
    /// then fails visibly in the delivery log, and an admin enters the secret again.</remarks>
    public static NotificationOptions Load(WatchDbContext db, NotificationOptions configured, IDataProtector secrets)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(secrets);
        var saved = db.Settings.Find(Key);
        if (saved is null || JsonSerializer.Deserialize<NotificationOptions>(saved.Json, Json) is not { } options)
        {
            return configured;
        }

        return options with
        {
            AllowPrivateNetwork = configured.AllowPrivateNetwork,
            Webhooks = [.. options.Webhooks.Select(w => w.Secret is null ? w : w with { Secret = Reveal(secrets, w.Secret) })],
            Email = options.Email is { Password: { } password } email ? email with { Password = Reveal(secrets, password) } : options.Email,
        };
    }

    /// <summary>Saves the targets and audits the change (names of targets, never their secrets); the caller saves the context.</summary>
    public static void Save(WatchDbContext db, AuditLog audit, NotificationOptions options, IDataProtector secrets, string actor, string? remoteAddress, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(secrets);
        var stored = options with
        {
            Webhooks = [.. options.Webhooks.Select(w => w.Secret is null ? w : w with { Secret = Protected + secrets.Protect(w.Secret) })],
            Email = options.Email is { Password: { } password } email ? email with { Password = Protected + secrets.Protect(password) } : options.Email,
        };
        var json = JsonSerializer.Serialize(stored, Json);
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

    private static string? Reveal(IDataProtector secrets, string stored)
    {
        if (!stored.StartsWith(Protected, StringComparison.Ordinal))
        {
            return stored;
        }

        try
        {
            return secrets.Unprotect(stored[Protected.Length..]);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
