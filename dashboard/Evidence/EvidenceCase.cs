using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>What an evidence package is made from: the alerts, their posts and sources, the captured records, and the audit trail.</summary>
public sealed record EvidenceCase(
    string CaseId,
    IReadOnlyList<EvidenceItem> Items,
    IReadOnlyList<AuditEntry> Custody,
    string Operator,
    DateTime StartedUtc);

/// <summary>One alert with its post, source and the WARC records (response, and the request when found) of its page.</summary>
public sealed record EvidenceItem(Alert Alert, Post Post, Source Source, WarcRecord? Response, WarcRecord? Request, string? CaptureError, IReadOnlyList<AlertNote> Notes);

/// <summary>The names of the files of a package.</summary>
public static class EvidenceFiles
{
    public const string Manifest = "manifest.json";
    public const string Timestamp = "manifest.json.tsr";
    public const string Signature = "signature.json";
    public const string Report = "report.pdf";
    public const string Warc = "captures.warc.gz";
    public const string Custody = "custody.json";

    public static string Post(long alertId) => FormattableString.Invariant($"posts/alert-{alertId}.json");

    public static string Screenshot(long alertId) => FormattableString.Invariant($"screenshots/alert-{alertId}.png");

    /// <summary>The tool as recorded in packages and reports (name/version).</summary>
    public static string Tool { get; } = "ExamNetWatch/" + (typeof(EvidenceFiles).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
}
