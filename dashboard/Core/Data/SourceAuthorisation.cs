namespace ExamNetWatch.Dashboard.Data;

/// <summary>The written authorisation that allows a source to be watched, and its validity window.</summary>
public sealed class SourceAuthorisation
{
    public int Id { get; set; }

    public int SourceId { get; set; }

    public Source? Source { get; set; }

    /// <summary>Gets or sets the basis, e.g. a document number such as 赣考院中〔2019〕3号.</summary>
    public required string Basis { get; set; }

    /// <summary>Gets or sets the approving body.</summary>
    public required string ApprovedBy { get; set; }

    /// <summary>Gets or sets what the authorisation covers, in the approver's words.</summary>
    public required string ScopeNote { get; set; }

    public DateTime ValidFromUtc { get; set; }

    public DateTime ValidUntilUtc { get; set; }

    /// <summary>Gets or sets the user who registered the authorisation.</summary>
    public required string RegisteredBy { get; set; }

    public DateTime RegisteredAtUtc { get; set; }

    /// <summary>Gets or sets when the authorisation was withdrawn before its end; null while it stands.</summary>
    public DateTime? RevokedAtUtc { get; set; }

    /// <summary>Gets or sets who withdrew it and why, as recorded.</summary>
    public string? Revocation { get; set; }

    /// <summary>Gets whether the authorisation covers <paramref name="nowUtc"/>.</summary>
    public bool CoversAt(DateTime nowUtc) => RevokedAtUtc is null && ValidFromUtc <= nowUtc && nowUtc < ValidUntilUtc;
}
