namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>The outcome of verifying a package: what was checked and every failure, each naming its file.</summary>
public sealed record VerificationReport(IReadOnlyList<string> Checked, IReadOnlyList<string> Failures, TimestampCheck? Timestamp)
{
    public bool Holds => Failures.Count == 0;

    /// <summary>Gets what could not be checked here, and why (no trusted key or TSA given, not the exporting installation).</summary>
    public IReadOnlyList<string> Unchecked { get; init; } = [];

    /// <summary>Gets the SHA-256 of the package file itself (what the export's audit entry records).</summary>
    public string? PackageSha256 { get; init; }
}

/// <summary>
/// What a verifier trusts: the fingerprints of installation keys whose signatures count (the exporting installation's
/// own, or those read off extraction records), the TSA certificates whose tokens count, how far a token's time may lie
/// from the export time, and — on the exporting installation — the package hashes its audit log records as exported.
/// </summary>
public sealed record VerificationTrust
{
    public static VerificationTrust None { get; } = new();

    public IReadOnlyCollection<string> TrustedKeys { get; init; } = [];

    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> TrustedTsa { get; init; } = [];

    public TimeSpan TimestampTolerance { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets the installation's key fingerprint when verifying on the exporting installation (null elsewhere).</summary>
    public string? InstallationKey { get; init; }

    /// <summary>Gets the exports this installation audited: package SHA-256 → the audit entry (sequence, who, when); null elsewhere.</summary>
    public IReadOnlyDictionary<string, string>? AuditedExports { get; init; }
}
