namespace ExamNetWatch.Dashboard.Data;

/// <summary>One line of the audit log: who did what to which object, when, and from where.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime AtUtc { get; set; }

    /// <summary>Gets or sets the user name, or <c>system</c> for jobs.</summary>
    public required string Actor { get; set; }

    /// <summary>Gets or sets the action, e.g. <c>alert.confirm</c>, <c>source.register</c>, <c>crawl.refused</c>.</summary>
    public required string Action { get; set; }

    public required string Target { get; set; }

    public string? Detail { get; set; }

    public string? RemoteAddress { get; set; }

    /// <summary>Gets or sets the entry's place in the hash chain (1, 2, 3… with no gap).</summary>
    public long? Sequence { get; set; }

    /// <summary>Gets or sets the <see cref="Hash"/> of the entry before it (64 zeros for the first).</summary>
    public string? PreviousHash { get; set; }

    /// <summary>Gets or sets the SHA-256 (hex) of this entry's fields and <see cref="PreviousHash"/>: change, insert or remove an entry and the chain breaks.</summary>
    public string? Hash { get; set; }
}
