using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>One file of a package as the manifest and the report's inventory (电子数据清单) list it.</summary>
public sealed record PackageFile(string Name, string Sha256, long Bytes, string Type, string Source, string Method);

/// <summary>The chain-of-custody head at export: the audit log's last sequence and hash.</summary>
public sealed record AuditHead(long Sequence, string Hash);

/// <summary>
/// <c>manifest.json</c>: what the package is, when and by what it was made, the SHA-256 of every other file, and the
/// fingerprint of the installation key that signed it (<c>signature.json</c>).
/// </summary>
public sealed record EvidenceManifest(
    string Format,
    string Case,
    IReadOnlyList<long> Alerts,
    DateTime CreatedUtc,
    string CreatedBeijing,
    string Tool,
    string Operator,
    string Clock,
    AuditHead? AuditHead,
    IReadOnlyList<PackageFile> Files,
    string? Signer = null)
{
    /// <summary>The format name written in every manifest.</summary>
    public const string CurrentFormat = "examnetwatch-evidence/1";

    /// <summary>The JSON settings of every JSON file of a package (readable Chinese, indented).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
