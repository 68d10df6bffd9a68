using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>
/// Checks a package as a court or the police would: the manifest lists every file with the right size and SHA-256
/// and nothing else is in the ZIP; every WARC record's block and payload digests recompute; each post document names
/// a record of the WARC cut; each custody entry's hash recomputes; and a timestamp token, when present, is a valid
/// RFC 3161 token over exactly this manifest.
/// </summary>
public static partial class EvidenceVerifier
{
    /// <summary>Verifies the package in <paramref name="zip"/> trusting nothing but its own content.</summary>
    public static VerificationReport Verify(Stream zip) => Verify(zip, VerificationTrust.None);

    /// <summary>Verifies the package in <paramref name="zip"/> (a seekable stream) under <paramref name="trust"/>.</summary>
    public static VerificationReport Verify(Stream zip, VerificationTrust trust)
    {
        ArgumentNullException.ThrowIfNull(zip);
        ArgumentNullException.ThrowIfNull(trust);
        var checkedItems = new List<string>();
        var failures = new List<string>();
        var notChecked = new List<string>();
        string? packageHash = null;
        if (zip.CanSeek)
        {
            var start = zip.Position;
            packageHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(zip));
            zip.Position = start;
        }

        Dictionary<string, byte[]> entries;
        try
        {
            entries = Read(zip);
        }
        catch (InvalidDataException e)
        {
            return new([], [$"the ZIP is damaged: {e.Message}"], null);
        }

        if (!entries.TryGetValue(EvidenceFiles.Manifest, out var manifestBytes))
        {
            return new([], [$"{EvidenceFiles.Manifest} is missing"], null);
        }

        EvidenceManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<EvidenceManifest>(manifestBytes, EvidenceManifest.Json);
        }
        catch (JsonException e)
        {
            return new([], [$"{EvidenceFiles.Manifest} is not a manifest: {e.Message}"], null);
        }

        if (manifest?.Files is null || manifest.Format != EvidenceManifest.CurrentFormat)
        {
            return new([], [$"{EvidenceFiles.Manifest} is not an {EvidenceManifest.CurrentFormat} manifest"], null);
        }

        // JSON can leave out what the record says is required: name every field that is missing.
        var missing = new[]
        {
            ("case", manifest.Case is null), ("alerts", manifest.Alerts is null), ("createdBeijing", manifest.CreatedBeijing is null),
            ("tool", manifest.Tool is null), ("operator", manifest.Operator is null), ("clock", manifest.Clock is null),
            ("files[].name/sha256/type/source/method", manifest.Files.Any(f => f is null || f.Name is null || f.Sha256 is null || f.Type is null || f.Source is null || f.Method is null)),
        }.Where(m => m.Item2).Select(m => m.Item1).ToList();
        if (missing.Count > 0)
        {
            return new([], [$"{EvidenceFiles.Manifest} lacks {string.Join(", ", missing)}"], null);
        }

        foreach (var file in manifest.Files)
        {
            if (!entries.TryGetValue(file.Name, out var bytes))
            {
                failures.Add($"{file.Name}: listed in the manifest but missing");
            }
            else if (bytes.LongLength != file.Bytes || EvidenceExporter.Sha256(bytes) != file.Sha256)
            {
                failures.Add($"{file.Name}: SHA-256 differs from the manifest (the file was changed)");
            }
            else
            {
                checkedItems.Add($"{file.Name}: SHA-256 {file.Sha256}");
            }
        }

        foreach (var extra in entries.Keys.Where(n => n is not EvidenceFiles.Manifest and not EvidenceFiles.Timestamp and not EvidenceFiles.Signature && manifest.Files.All(f => f.Name != n)))
        {
            failures.Add($"{extra}: in the package but not in the manifest");
        }

        var recordIds = entries.TryGetValue(EvidenceFiles.Warc, out var warc) ? CheckWarc(warc, checkedItems, failures) : [];
        foreach (var (name, bytes) in entries.Where(e => e.Key.StartsWith("posts/", StringComparison.Ordinal)))
        {
            CheckPost(name, bytes, recordIds, failures);
        }

        if (entries.TryGetValue(EvidenceFiles.Custody, out var custody))
        {
            CheckCustody(custody, checkedItems, failures);
        }

        CheckDescriptions(manifest, entries, checkedItems, failures);
        CheckSignature(manifest, manifestBytes, entries, trust, checkedItems, failures, notChecked);

        TimestampCheck? timestamp = null;
        if (entries.TryGetValue(EvidenceFiles.Timestamp, out var token))
        {
            timestamp = TimestampAuthority.Verify(token, manifestBytes);
            if (!timestamp.Holds)
            {
                failures.Add($"{EvidenceFiles.Timestamp}: {timestamp.Problem}");
            }
            else if (timestamp.Time is { } at && (at.UtcDateTime - DateTime.SpecifyKind(manifest.CreatedUtc, DateTimeKind.Utc)).Duration() > trust.TimestampTolerance)
            {
                failures.Add($"{EvidenceFiles.Timestamp}: the token says {at:u}, but the manifest was made at {manifest.CreatedUtc:u} (more than {trust.TimestampTolerance.TotalMinutes:0} minutes apart)");
            }
            else if (trust.TrustedTsa.Count == 0)
            {
                notChecked.Add($"{EvidenceFiles.Timestamp}: the token holds over {EvidenceFiles.Manifest} ({timestamp.Time:u} by {timestamp.Authority}), but no trusted TSA certificate was given, so it does not prove the time (--trusted-tsa, Evidence__TrustedTsaCertificates__0)");
            }
            else if (!IsTrusted(timestamp.Signer, trust.TrustedTsa))
            {
                failures.Add($"{EvidenceFiles.Timestamp}: signed by {timestamp.Authority}, which is not a trusted TSA");
            }
            else
            {
                checkedItems.Add($"{EvidenceFiles.Timestamp}: RFC 3161 token over {EvidenceFiles.Manifest}, {timestamp.Time:u} by {timestamp.Authority} (a trusted TSA), within {trust.TimestampTolerance.TotalMinutes:0} minutes of the export");
            }
        }
        else
        {
            notChecked.Add($"{EvidenceFiles.Timestamp}: none — the export time rests on the exporting host's clock");
        }

        CheckAudit(manifest, packageHash, trust, checkedItems, failures, notChecked);
        return new VerificationReport(checkedItems, failures, timestamp) { Unchecked = notChecked, PackageSha256 = packageHash };
    }

    /// <summary>The largest file a package may hold, and the most it may hold in all (a hostile ZIP cannot exhaust memory).</summary>
    public const long MaxEntryBytes = 512L * 1024 * 1024, MaxTotalBytes = 2L * 1024 * 1024 * 1024;

    private static Dictionary<string, byte[]> Read(Stream zip)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        if (archive.Entries.Count > 10_000 || archive.Entries.Any(e => e.Length > MaxEntryBytes) || archive.Entries.Sum(e => e.Length) > MaxTotalBytes)
        {
            throw new InvalidDataException($"it holds more than an evidence package can (10,000 files, {MaxEntryBytes / 1024 / 1024} MB a file, {MaxTotalBytes / 1024 / 1024 / 1024} GB in all)");
        }

        // Two entries that name one file (the same name, or names a file system or unzip tool would take for the same
        // file) would let a checker and a viewer see different files: such a package is refused as a whole.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal)
                || name.Split('/').Any(part => part is "" or "." or ".."))
            {
                throw new InvalidDataException($"the entry name '{Printable(name)}' is not a plain relative path");
            }

            if (!seen.Add(name.Normalize(System.Text.NormalizationForm.FormC)))
            {
                throw new InvalidDataException($"two entries are named '{Printable(name)}' (ignoring case): which one a tool shows is not defined");
            }

            using var stream = entry.Open();
            using var copy = new MemoryStream();
            // The declared length can lie: never read more than the cap, whatever the entry says.
            CopyAtMost(stream, copy, MaxEntryBytes);
            entries[entry.FullName] = copy.ToArray();
        }

        return entries;
    }

    private static string Printable(string? name) =>
        new([.. (name ?? string.Empty).Take(200).Select(c => char.IsControl(c) ? '?' : c)]);

    private static void CopyAtMost(Stream source, Stream target, long limit)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = source.Read(buffer)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new InvalidDataException($"a file is larger than {limit / 1024 / 1024} MB");
            }

            target.Write(buffer, 0, read);
        }
    }

    private static HashSet<string> CheckWarc(byte[] warc, List<string> checkedItems, List<string> failures)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "enw-verify-" + Guid.NewGuid().ToString("N") + ".warc.gz");
        try
        {
            File.WriteAllBytes(path, warc);
            foreach (var record in WarcReader.ReadAll(path))
            {
                ids.Add(record.RecordId);
                if (record.Field("WARC-Block-Digest") is { } block && block != WarcDigest.Sha256(record.Block.Span))
                {
                    failures.Add($"{EvidenceFiles.Warc}: record {record.RecordId} ({record.Type}) block digest does not recompute");
                }

                if (record.Type == "response" && record.Field("WARC-Payload-Digest") is { } payload && payload != WarcDigest.Sha256(WarcReader.SplitHttp(record.Block).Payload.Span))
                {
                    failures.Add($"{EvidenceFiles.Warc}: record {record.RecordId} payload digest does not recompute");
                }
            }

            checkedItems.Add($"{EvidenceFiles.Warc}: {ids.Count} records, block and payload digests recomputed");
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            failures.Add($"{EvidenceFiles.Warc}: not readable as WARC ({e.Message})");
        }
        finally
        {
            File.Delete(path);
        }

        return ids;
    }

    private static void CheckPost(string name, byte[] bytes, HashSet<string> recordIds, List<string> failures)
    {
        try
        {
            var capture = JsonNode.Parse(bytes)?["capture"];
            var id = capture?["responseRecordId"]?.GetValue<string>();
            // A capture the export could not read is declared in the document (and the report), not expected in the cut.
            if (id is not null && capture?["problem"] is null && !recordIds.Contains(id))
            {
                failures.Add($"{name}: names WARC record {id}, which is not in {EvidenceFiles.Warc}");
            }
        }
        catch (JsonException e)
        {
            failures.Add($"{name}: not JSON ({e.Message})");
        }
    }

    private static void CheckCustody(byte[] bytes, List<string> checkedItems, List<string> failures)
    {
        try
        {
            var entries = JsonNode.Parse(bytes)?["entries"]?.AsArray() ?? [];
            foreach (var node in entries.OfType<JsonNode>())
            {
                var entry = EvidenceDocuments.ReadCustodyEntry(node);
                if (entry.Hash is not null && entry.Hash != AuditChain.ComputeHash(entry, entry.PreviousHash ?? string.Empty))
                {
                    failures.Add($"{EvidenceFiles.Custody}: entry {entry.Sequence} ({entry.Action}) does not match its hash");
                }
            }

            checkedItems.Add($"{EvidenceFiles.Custody}: {entries.Count} entries, each hash recomputed");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            failures.Add($"{EvidenceFiles.Custody}: not a custody log ({e.Message})");
        }
    }
}
