using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Messages;
using ExamNetWatch.Dashboard.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>A triage step that the alert's state does not allow, or input that is not valid; <see cref="Text"/> is for staff.</summary>
public sealed class TriageException : Exception
{
    public TriageException()
        : this(new StaffText("未知的操作。"))
    {
    }

    public TriageException(string message)
        : this(new StaffText(message))
    {
    }

    public TriageException(StaffText text)
        : base(text?.ToString())
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    public TriageException(string message, Exception innerException)
        : base(message, innerException)
    {
        Text = new StaffText(message);
    }

    /// <summary>Gets what to tell the member of staff.</summary>
    public StaffText Text { get; }
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
        ApplyAsync(id, "take", null, user, address, cancellationToken);

    /// <summary>Assigns the alert to <paramref name="assignee"/> (null: nobody), who must be an enabled Admin or Analyst.</summary>
    public Task AssignAsync(long id, string? assignee, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "assign", assignee, user, address, cancellationToken);

    /// <summary>
    /// Returns the user name an alert may be assigned to (null for nobody): an account that exists, is not disabled and
    /// may triage (Admin or Analyst) — a Viewer cannot act on what is assigned, and a typo must not park an alert.
    /// </summary>
    private async Task<string?> CheckAssigneeAsync(string? assignee, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(assignee))
        {
            return null;
        }

        var name = assignee.Trim();
        var refused = new TriageException(new StaffText("不能指派给“{0}”：没有这个账户，或它已停用，或不是管理员、研判员。", name.Length > 40 ? name[..40] + "…" : name));
        if (name.Length > 256)
        {
            throw refused;
        }

        var normalised = name.ToUpperInvariant();
        var account = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalised)
            .Select(u => new { u.Id, u.UserName, u.LockoutEnd }).FirstOrDefaultAsync(cancellationToken);
        if (account is null || account.LockoutEnd == DateTimeOffset.MaxValue)
        {
            throw refused;
        }

        var triager = await (from link in db.UserRoles
                             join role in db.Roles on link.RoleId equals role.Id
                             where link.UserId == account.Id && (role.Name == StaffRoles.Admin || role.Name == StaffRoles.Analyst)
                             select link.UserId).AnyAsync(cancellationToken);
        return triager ? account.UserName : throw refused;
    }

    /// <summary>Acknowledges a new alert.</summary>
    public Task AcknowledgeAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "acknowledge", null, user, address, cancellationToken);

    /// <summary>
    /// Escalates to the police (retention never purges an escalated alert): handed to a named receiving unit, with the
    /// contact there and the receipt or case number when known.
    /// </summary>
    public Task EscalateAsync(long id, Escalation escalation, string user, string? address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var (contact, receipt) = (Optional(escalation.Contact, 200, "联系人及电话"), Optional(escalation.Receipt, 100, "回执号"));
        return ApplyAsync(id, "escalate", escalation.ReceivingUnit, user, address, cancellationToken, alert =>
        {
            alert.EscalationContact = contact;
            alert.EscalationReceipt = receipt;
            return (contact is null ? string.Empty : "；联系人 " + contact) + (receipt is null ? string.Empty : "；回执号 " + receipt);
        });
    }

    /// <summary>Records the receiving unit's receipt or case number of an escalated alert, once it comes back.</summary>
    public Task RecordReceiptAsync(long id, string receipt, string user, string? address, CancellationToken cancellationToken)
    {
        var number = Optional(receipt, 100, "回执号") ?? throw new TriageException(new StaffText("请填写回执号或受案编号。"));
        return ApplyAsync(id, "receipt", number, user, address, cancellationToken);
    }

    private static string? Optional(string? text, int max, string field)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null
            : trimmed.Length <= max ? trimmed
            : throw new TriageException(new StaffText("{0}不能超过 {1} 字。", field, max));
    }

    /// <summary>Closes the alert with a reason from <see cref="CloseReason.All"/>.</summary>
    public Task CloseAsync(long id, string reason, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "close", reason, user, address, cancellationToken);

    /// <summary>Reopens a closed alert as acknowledged.</summary>
    public Task ReopenAsync(long id, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "reopen", null, user, address, cancellationToken);

    /// <summary>Adds a tag to the alert (no comma, at most 40 characters).</summary>
    public Task TagAsync(long id, string tag, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "tag", tag, user, address, cancellationToken);

    /// <summary>Removes a tag from the alert.</summary>
    public Task UntagAsync(long id, string tag, string user, string? address, CancellationToken cancellationToken) =>
        ApplyAsync(id, "untag", tag, user, address, cancellationToken);

    /// <summary>Adds a note to the alert.</summary>
    public async Task AddNoteAsync(long id, string text, string user, string? address, CancellationToken cancellationToken)
    {
        text = (text ?? string.Empty).Trim();
        if (text.Length == 0 || text.Length > MaxNoteLength)
        {
            throw new TriageException(new StaffText("备注不能为空，且不超过 {0} 字。", MaxNoteLength));
        }

        if (!await db.Alerts.AnyAsync(a => a.Id == id, cancellationToken))
        {
            throw new KeyNotFoundException($"alert {id}");
        }

        db.AlertNotes.Add(new AlertNote { AlertId = id, Author = user, AtUtc = time.GetUtcNow().UtcDateTime, Text = text });
        audit.Add(db, user, AuditActions.AlertNote, Target(id), text.Length > 200 ? text[..200] + "…" : text, address);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Actions that apply to many alerts at once.</summary>
    public static IReadOnlyList<string> BulkActions { get; } = ["take", "assign", "acknowledge", "escalate", "close", "tag"];

    /// <summary>
    /// Applies <paramref name="action"/> (one of <see cref="BulkActions"/>; <paramref name="argument"/> is the assignee,
    /// the close reason or the tag) to every alert <paramref name="matching"/> selects — all of them, in chunks, each
    /// alert audited and queued for the index like a single step. Alerts whose state does not allow the step are
    /// skipped and counted.
    /// </summary>
    /// <param name="expected">How many alerts the caller said it would change (the page's count): if
    /// <paramref name="matching"/> now selects another number, nothing is changed.</param>
    public async Task<BulkResult> BulkAsync(IQueryable<Alert> matching, string action, string? argument, string user, string? address, CancellationToken cancellationToken, int? expected = null)
    {
        ArgumentNullException.ThrowIfNull(matching);
        if (!BulkActions.Contains(action))
        {
            throw new TriageException(new StaffText("未知的批量操作。"));
        }

        argument = await ArgumentAsync(action, argument, cancellationToken);
        var ids = await matching.OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        if (expected is { } stated && stated != ids.Count)
        {
            throw new TriageException(new StaffText("符合条件的告警已变化：页面显示 {0} 条，现在是 {1} 条。未做任何改动，请核对后重试。", stated, ids.Count));
        }

        int changed = 0, skipped = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            var alerts = await db.Alerts.Where(a => chunk.Contains(a.Id)).ToListAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var alert in alerts)
            {
                string detail;
                try
                {
                    detail = Step(alert, action, argument, user, now);
                }
                catch (TriageException)
                {
                    skipped++;
                    continue;
                }

                alert.TriagedBy = user;
                alert.TriagedAtUtc = now;
                MarkResponded(alert, now);
                audit.Add(db, user, AuditAction(action), Target(alert.Id), "批量：" + detail, address);
                IndexOutbox.Enqueue(db, alert.PostId, now);
                changed++;
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        if (changed > 0)
        {
            indexing.Notify();
        }

        return new BulkResult(changed, skipped);
    }

    /// <summary>The audit target of an alert.</summary>
    public static string Target(long id) => FormattableString.Invariant($"alert:{id}");

    private static void MarkResponded(Alert alert, DateTime now)
    {
        if (alert.AcknowledgedAtUtc is null && alert.Status != AlertStatus.New)
        {
            alert.AcknowledgedAtUtc = now;
        }
    }

    private static void CheckTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Contains(',', StringComparison.Ordinal) || tag.Trim().Length > 40)
        {
            throw new TriageException(new StaffText("标签不能为空、不能含逗号，且不超过 40 字。"));
        }
    }

    private static string Step(Alert alert, string action, string? argument, string user, DateTime now)
    {
        switch (action)
        {
            case "take":
                return Take(alert, user);
            case "assign":
                var detail = $"负责人 {alert.Assignee ?? "无"} → {argument ?? "无"}";
                alert.Assignee = argument;
                return detail;
            case "acknowledge":
                return Move(alert, AlertStatus.Acknowledged, [AlertStatus.New]);
            case "escalate":
                var escalated = Move(alert, AlertStatus.Escalated, [AlertStatus.New, AlertStatus.Acknowledged]);
                alert.EscalatedTo = argument;
                alert.EscalatedBy = user;
                alert.EscalatedAtUtc = now;
                alert.EscalationContact = null;
                alert.EscalationReceipt = null;
                return escalated + "；接收单位 " + argument;
            case "receipt":
                if (alert.EscalatedTo is null)
                {
                    throw new TriageException(new StaffText("告警未移交公安，没有回执可登记。"));
                }

                alert.EscalationReceipt = argument;
                return "回执号 " + argument;
            case "close":
                if (alert.Status == AlertStatus.Escalated && string.Equals(alert.EscalatedBy, user, StringComparison.Ordinal))
                {
                    // Four eyes: what one analyst handed to the police is closed only after another has reviewed it.
                    throw new TriageException(new StaffText("已移交公安的告警须由移交人（{0}）以外的研判员复核后关闭。", user));
                }

                var closed = Move(alert, AlertStatus.Closed, [AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.Escalated]);
                alert.CloseReason = argument;
                alert.ClosedAtUtc = now;
                return closed + "（" + argument + "）";
            case "reopen":
                var reopened = Move(alert, AlertStatus.Acknowledged, [AlertStatus.Closed]);
                alert.CloseReason = null;
                alert.ClosedAtUtc = null;
                return reopened;
            case "tag":
                var tag = argument!;
                var tags = (alert.Tags ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (tags.Contains(tag))
                {
                    throw new TriageException(new StaffText("已有此标签。"));
                }

                tags.Add(tag);
                var joined = string.Join(',', tags);
                alert.Tags = joined.Length <= 500 ? joined : throw new TriageException(new StaffText("标签过多。"));
                return "标签 +" + tag;
            case "untag":
                var kept = (alert.Tags ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();
                if (!kept.Remove(argument!))
                {
                    throw new TriageException(new StaffText("没有这个标签。"));
                }

                alert.Tags = kept.Count == 0 ? null : string.Join(',', kept);
                return "标签 -" + argument;
            default:
                throw new TriageException(new StaffText("未知的操作。"));
        }
    }

    private static string Take(Alert alert, string user)
    {
        if (alert.Status == AlertStatus.Closed)
        {
            throw new TriageException(new StaffText("告警已关闭，请先重新打开。"));
        }

        var detail = $"负责人 {alert.Assignee ?? "无"} → {user}";
        alert.Assignee = user;
        if (alert.Status == AlertStatus.New)
        {
            alert.Status = AlertStatus.Acknowledged;
            detail += $"；{AlertStatus.New} → {AlertStatus.Acknowledged}";
        }

        return detail;
    }

    private static string Move(Alert alert, string to, string[] from)
    {
        if (!from.Contains(alert.Status))
        {
            throw new TriageException(new StaffText("当前状态不能执行此操作（{0} → {1}）。", alert.Status, to));
        }

        var detail = $"{alert.Status} → {to}";
        alert.Status = to;
        return detail;
    }

    /// <summary>One step on one alert, checked and applied exactly as a bulk action applies it to each alert.</summary>
    private async Task ApplyAsync(long id, string action, string? argument, string user, string? address, CancellationToken cancellationToken, Func<Alert, string>? also = null)
    {
        argument = await ArgumentAsync(action, argument, cancellationToken);
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"alert {id}");
        var now = time.GetUtcNow().UtcDateTime;
        var detail = Step(alert, action, argument, user, now);
        if (also is not null)
        {
            detail += also(alert);
        }

        alert.TriagedBy = user;
        alert.TriagedAtUtc = now;
        MarkResponded(alert, now);
        audit.Add(db, user, AuditAction(action), Target(id), detail, address);
        IndexOutbox.Enqueue(db, alert.PostId, now);
        await db.SaveChangesAsync(cancellationToken);
        indexing.Notify();
    }

    /// <summary>Checks the argument of a step before any alert is touched: the close reason, the assignee, the tag.</summary>
    private async Task<string?> ArgumentAsync(string action, string? argument, CancellationToken cancellationToken)
    {
        switch (action)
        {
            case "close":
                return CloseReason.Parse(argument) ?? throw new TriageException(new StaffText("请选择关闭原因：属实、误报、重复或无害。"));
            case "assign":
                return await CheckAssigneeAsync(argument, cancellationToken);
            case "tag":
                CheckTag(argument);
                return argument!.Trim();
            case "receipt":
                return argument;
            case "escalate":
                return Optional(argument, 200, "接收单位") ?? throw new TriageException(new StaffText("移交公安须填写接收单位（如 某市公安局网安支队）。"));
            case "untag":
                return string.IsNullOrWhiteSpace(argument) ? throw new TriageException(new StaffText("没有这个标签。")) : argument.Trim();
            default:
                return null;
        }
    }

    private static string AuditAction(string action) => action switch
    {
        "take" => AuditActions.AlertTake,
        "assign" => AuditActions.AlertAssign,
        "acknowledge" => AuditActions.AlertAcknowledge,
        "escalate" => AuditActions.AlertEscalate,
        "receipt" => AuditActions.AlertReceipt,
        "close" => AuditActions.AlertClose,
        "reopen" => AuditActions.AlertReopen,
        "tag" => AuditActions.AlertTag,
        "untag" => AuditActions.AlertUntag,
        _ => throw new TriageException(new StaffText("未知的操作。")),
    };
}

/// <summary>Where an alert is handed to the police: the receiving unit (required), the contact there, the receipt number.</summary>
public sealed record Escalation(string ReceivingUnit, string? Contact = null, string? Receipt = null);

/// <summary>What a bulk action did: how many alerts changed, and how many their state did not allow.</summary>
public sealed record BulkResult(int Changed, int Skipped);
