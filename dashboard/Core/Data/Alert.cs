namespace ExamNetWatch.Dashboard.Data;

/// <summary>An alert raised for a post at severity medium or above, and its triage state.</summary>
public sealed class Alert
{
    public long Id { get; set; }

    public required string PostId { get; set; }

    public Post? Post { get; set; }

    public int SourceId { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public int Severity { get; set; }

    public double Score { get; set; }

    /// <summary>Gets or sets the term families, comma-separated.</summary>
    public required string Categories { get; set; }

    /// <summary>Gets or sets the matched terms, separated by '、'.</summary>
    public required string MatchedTerms { get; set; }

    public required string Title { get; set; }

    public string Status { get; set; } = AlertStatus.New;

    public string? TriagedBy { get; set; }

    public DateTime? TriagedAtUtc { get; set; }

    /// <summary>Gets or sets when someone first responded (the alert first left <see cref="AlertStatus.New"/>): time to acknowledge is measured to it.</summary>
    public DateTime? AcknowledgedAtUtc { get; set; }

    /// <summary>Gets or sets who works on the alert (a user name), if anyone.</summary>
    public string? Assignee { get; set; }

    /// <summary>
    /// Gets or sets the group the alert belongs to: the id of the first alert of the group — reposts of the same ad
    /// (near-duplicate text) and posts sharing a contact fold together. Null for an alert alone so far.
    /// </summary>
    public long? GroupId { get; set; }

    /// <summary>Gets or sets when the alert must be acknowledged by (its SLA; shorter while an exam paper is open).</summary>
    public DateTime? DueAtUtc { get; set; }

    /// <summary>Gets or sets the alert's tags, comma-separated.</summary>
    public string? Tags { get; set; }

    /// <summary>Gets or sets why the alert was closed (<see cref="CloseReason"/>), while it is closed.</summary>
    public string? CloseReason { get; set; }

    /// <summary>Gets or sets when the alert was closed (dismissed or closed after handling); retention counts from here.</summary>
    public DateTime? ClosedAtUtc { get; set; }

    /// <summary>Gets or sets the police unit the alert was handed to (移交公安: 接收单位), while or since it was escalated.</summary>
    public string? EscalatedTo { get; set; }

    /// <summary>Gets or sets the contact at the receiving unit (name, telephone).</summary>
    public string? EscalationContact { get; set; }

    /// <summary>Gets or sets the receiving unit's receipt or case number (回执号/受案号), once known.</summary>
    public string? EscalationReceipt { get; set; }

    /// <summary>Gets or sets who escalated the alert: closing an escalated alert needs someone else's review.</summary>
    public string? EscalatedBy { get; set; }

    /// <summary>Gets or sets when the alert was escalated.</summary>
    public DateTime? EscalatedAtUtc { get; set; }

    /// <summary>Gets or sets whether an evidence export or an investigation holds this alert: retention never purges it.</summary>
    public bool LegalHold { get; set; }
}

/// <summary>Triage states of an alert.</summary>
public static class AlertStatus
{
    /// <summary>Raised, nobody has looked at it.</summary>
    public const string New = "new";

    /// <summary>Someone took it and is working on it.</summary>
    public const string Acknowledged = "acknowledged";

    /// <summary>Handed to the police: never purged while in this status.</summary>
    public const string Escalated = "escalated";

    /// <summary>Handled and closed, with a <see cref="CloseReason"/>.</summary>
    public const string Closed = "closed";

    /// <summary>Gets every status.</summary>
    public static IReadOnlyList<string> All { get; } = [New, Acknowledged, Escalated, Closed];
}

/// <summary>Why an alert was closed.</summary>
public static class CloseReason
{
    public const string TruePositive = "true_positive";
    public const string FalsePositive = "false_positive";
    public const string Duplicate = "duplicate";
    public const string Benign = "benign";

    /// <summary>Gets every reason.</summary>
    public static IReadOnlyList<string> All { get; } = [TruePositive, FalsePositive, Duplicate, Benign];

    /// <summary>
    /// Reads a reason as staff type it: the code (true_positive), its Chinese name (属实, 误报, 重复, 无害) or its English
    /// name (true positive); null if it is none of them.
    /// </summary>
    public static string? Parse(string? text)
    {
        var key = text?.Trim().Replace(' ', '_').Replace('-', '_').ToLowerInvariant();
        return key switch
        {
            TruePositive or "属实" => TruePositive,
            FalsePositive or "误报" => FalsePositive,
            Duplicate or "重复" => Duplicate,
            Benign or "无害" => Benign,
            _ => null,
        };
    }
}

/// <summary>A note a member of staff wrote on an alert.</summary>
public sealed class AlertNote
{
    public long Id { get; set; }

    public long AlertId { get; set; }

    public required string Author { get; set; }

    public DateTime AtUtc { get; set; }

    public required string Text { get; set; }
}

/// <summary>A contact (QQ, WeChat, phone…) found in an alert's post, as "kind:value": alerts sharing one are related.</summary>
public sealed class AlertContact
{
    public long AlertId { get; set; }

    public Alert? Alert { get; set; }

    public required string Contact { get; set; }
}

/// <summary>An alert announced on one notification target (so it is never announced there twice).</summary>
public sealed class NotificationDelivery
{
    public long AlertId { get; set; }

    public required string Target { get; set; }

    public DateTime AtUtc { get; set; }
}
