namespace ExamNetWatch.Dashboard.Data;

/// <summary>Writes audit entries through the caller's context, so they commit together with what they record.</summary>
public sealed class AuditLog(TimeProvider time)
{
    /// <summary>The actor name used for scheduled jobs.</summary>
    public const string System = "system";

    /// <summary>Adds an entry to <paramref name="db"/>; the caller saves.</summary>
    public void Add(WatchDbContext db, string actor, string action, string target, string? detail = null, string? remoteAddress = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Audit.Add(new AuditEntry
        {
            AtUtc = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = action,
            Target = target,
            Detail = detail,
            RemoteAddress = remoteAddress,
        });
    }
}
