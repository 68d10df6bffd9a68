using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>A triage step that the alert's state does not allow, or input that is not valid; the message is for staff.</summary>
public sealed class TriageException : Exception
{
    public TriageException()
    {
    }

    public TriageException(string message)
        : base(message)
    {
    }

    public TriageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The triage rules, in one place for the pages, the bulk actions and the tests: new → acknowledged → closed (with a
/// reason: true positive, false positive, duplicate, benign), escalated to the police from new or acknowledged,
/// closed from escalated, and a closed alert reopened as acknowledged. Taking an alert assigns it to oneself (and
/// acknowledges a new one). Every step is audited with who, when, from where, and the change; every change reaches
/// the search index through the outbox in the same transaction.
/// </summary>
public sealed class AlertTriage(WatchDbContext db, AuditLog audit, IndexingSignal indexing, TimeProvider time)
{
    public const int MaxNoteLength = 4000;

    /// <summary>Takes the alert: assigned to <paramref name="user"/>, and acknowledged if it was new.</summary>
    public Task TakeAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, address, "alert.take", (alert, _) =>
        {
            if (alert.Status == AlertStatus.Closed)
            {
                throw new TriageException("告警已关闭，请先重新打开。");
            }

            var detail = $"负责人 {alert.Assignee ?? "无"} → {user}";
            alert.Assignee = user;
            if (alert.Status == AlertStatus.New)
            {
                alert.Status = AlertStatus.Acknowledged;
                detail += $"；{AlertStatus.New} → {AlertStatus.Acknowledged}";
            }

            return detail;
        }, cancellationToken);

    /// <summary>Assigns the alert to <paramref name="assignee"/> (null: nobody).</summary>
    public Task AssignAsync(long id, string? assignee, string user, string? address, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, address, "alert.assign", (alert, _) =>
        {
            var detail = $"负责人 {alert.Assignee ?? "无"} → {assignee ?? "无"}";
            alert.Assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
            return detail;
        }, cancellationToken);

    /// <summary>Acknowledges a new alert.</summary>
    public Task AcknowledgeAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, address, "alert.acknowledge", (alert, _) => Move(alert, AlertStatus.Acknowledged, [AlertStatus.New]), cancellationToken);

    /// <summary>Escalates to the police (retention never purges an escalated alert).</summary>
    public Task EscalateAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, address, "alert.escalate", (alert, _) => Move(alert, AlertStatus.Escalated, [AlertStatus.New, AlertStatus.Acknowledged]), cancellationToken);

    /// <summary>Closes the alert with a reason from <see cref="CloseReason.All"/>.</summary>
    public Task CloseAsync(long id, string reason, string user, string? address, CancellationToken cancellationToken)
    {
        if (!CloseReason.All.Contains(reason))
        {
            throw new TriageException("请选择关闭原因：属实、误报、重复或无害。");
        }

        return ChangeAsync(id, user, address, "alert.close", (alert, now) =>
        {
            var detail = Move(alert, AlertStatus.Closed, [AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.Escalated]);
            alert.CloseReason = reason;
            alert.ClosedAtUtc = now;
            return detail + "（" + reason + "）";
        }, cancellationToken);
    }

    /// <summary>Reopens a closed alert as acknowledged.</summary>
    public Task ReopenAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, address, "alert.reopen", (alert, _) =>
        {
            var detail = Move(alert, AlertStatus.Acknowledged, [AlertStatus.Closed]);
            alert.CloseReason = null;
            alert.ClosedAtUtc = null;
            return detail;
        }, cancellationToken);

    /// <summary>Adds a note to the alert.</summary>
    public async Task AddNoteAsync(long id, string text, string user, string? address, CancellationToken cancellationToken)
    {
        text = (text ?? string.Empty).Trim();
        if (text.Length == 0 || text.Length > MaxNoteLength)
        {
            throw new TriageException($"备注不能为空，且不超过 {MaxNoteLength} 字。");
        }

        if (!await db.Alerts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            throw new KeyNotFoundException($"alert {id}");
        }

        db.AlertNotes.Add(new AlertNote { AlertId = id, Author = user, AtUtc = time.GetUtcNow().UtcDateTime, Text = text });
        audit.Add(db, user, "alert.note", Target(id), text.Length > 200 ? text[..200] + "…" : text, address);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The audit target of an alert.</summary>
    public static string Target(long id) => FormattableString.Invariant($"alert:{id}");

    private static string Move(Alert alert, string to, string[] from)
    {
        if (!from.Contains(alert.Status))
        {
            throw new TriageException($"当前状态不能执行此操作（{alert.Status} → {to}）。");
        }

        var detail = $"{alert.Status} → {to}";
        alert.Status = to;
        return detail;
    }

    private async Task ChangeAsync(long id, string user, string? address, string action, Func<Alert, DateTime, string> change, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"alert {id}");
        var now = time.GetUtcNow().UtcDateTime;
        var detail = change(alert, now);
        alert.TriagedBy = user;
        alert.TriagedAtUtc = now;
        audit.Add(db, user, action, Target(id), detail, address);
        IndexOutbox.Enqueue(db, alert.PostId, now);
        await db.SaveChangesAsync(cancellationToken);
        indexing.Notify();
    }
}
