using System.CommandLine;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>evidence export|verify</c>: evidence packages for the police, and their check.</summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var which = new Argument<string>("alert-or-group") { Description = "An alert id (123) or a group (g123: every alert of group 123)" };
        var output = new Option<FileInfo>("--out") { Description = "The package to write (.zip)", Required = true };
        var by = new Option<string>("--by") { Description = "Who exports it (recorded in the report and audited)", DefaultValueFactory = _ => Environment.UserName };
        var chromium = new Option<string?>("--chromium") { Description = "Chromium for the screenshots, absent: the report says so (default: the setting Evidence:ChromiumPath, else " + EvidenceOptions.DefaultChromium + ")" };
        var tsa = new Option<Uri?>("--tsa") { Description = "RFC 3161 timestamp authority for the manifest (default: the setting Evidence:TsaUrl)" };
        var export = new Command("export", "Write the evidence package of an alert or a group: WARC records, post JSON, screenshots, custody log, extraction record (PDF), manifest") { which, output, by, chromium, tsa };
        export.SetAction(async (r, ct) =>
        {
            (long Id, bool Group) id;
            try
            {
                id = EvidenceCollector.ParseId(r.GetValue(which)!);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("evidence export: " + ex.Message);
                return 2;
            }

            var flags = new Dictionary<string, string?>();
            if (r.GetValue(chromium) is { } chromiumPath)
            {
                flags["Evidence:ChromiumPath"] = chromiumPath;
            }

            if (r.GetValue(tsa) is { } tsaUrl)
            {
                flags["Evidence:TsaUrl"] = tsaUrl.AbsoluteUri;
            }

            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct, flags);
            await using var scope = services.CreateAsyncScope();
            var evidence = await scope.ServiceProvider.GetRequiredService<EvidenceCollector>().CollectAsync(id.Id, id.Group, r.GetValue(by)!, ct);
            if (evidence is null)
            {
                await Console.Error.WriteLineAsync($"evidence export: no {(id.Group ? "group" : "alert")} {id.Id}");
                return 1;
            }

            var exporter = scope.ServiceProvider.GetRequiredService<EvidenceExporter>();
            var signer = services.GetRequiredService<EvidenceSigningKey>();
            var path = r.GetValue(output)!.FullName;
            ExportResult result;
            await using (var file = new FileStream(path + ".partial", FileMode.Create, FileAccess.Write))
            {
                result = await exporter.ExportAsync(evidence, file, null, ct);
            }

            File.Move(path + ".partial", path, overwrite: true);
            await Console.Out.WriteLineAsync($"{path}: {result.Files.Count} files, sha256 {result.PackageSha256}, signed by {signer.Fingerprint}{(result.Timestamped ? ", timestamped" : string.Empty)}");
            foreach (var warning in result.Warnings)
            {
                await Console.Out.WriteLineAsync("  note: " + warning);
            }

            return 0;
        });

        var package = new Argument<FileInfo>("package") { Description = "The evidence package (.zip)" }.AcceptExistingOnly();
        var trustedKey = new Option<string[]>("--trusted-key") { Description = "Fingerprint (sha256:…) of an installation key whose signature counts, as printed on the extraction record; the data directory's own key always counts", AllowMultipleArgumentsPerToken = true };
        var trustedTsa = new Option<FileInfo[]>("--trusted-tsa") { Description = "Certificate (PEM or DER) of a TSA whose timestamps count (default: the setting Evidence:TrustedTsaCertificates)", AllowMultipleArgumentsPerToken = true };
        var verify = new Command("verify", "Check a package: every hash, WARC digest and custody entry, the manifest's descriptions, the installation's signature, the timestamp against trusted TSAs and the export time, and on the exporting installation its audited export; exit 0 only if all hold") { package, trustedKey, trustedTsa };
        verify.SetAction(async (r, ct) =>
        {
            var file = r.GetValue(package)!;
            await using var services = CliHost.Build(r.GetValue(CommandLine.DataDir)!);
            var trust = await TrustAsync(services, r.GetValue(trustedKey) ?? [], r.GetValue(trustedTsa) ?? [], ct);
            VerificationReport report;
            await using (var stream = file.OpenRead())
            {
                report = EvidenceVerifier.Verify(stream, trust);
            }

            foreach (var line in report.Checked)
            {
                await Console.Out.WriteLineAsync("ok           " + TerminalText.Clean(line));
            }

            foreach (var line in report.Unchecked)
            {
                await Console.Out.WriteLineAsync("not checked  " + TerminalText.Clean(line));
            }

            foreach (var failure in report.Failures)
            {
                await Console.Out.WriteLineAsync("FAILED       " + TerminalText.Clean(failure));
            }

            await Console.Out.WriteLineAsync(report.Holds ? "package holds" : $"package does NOT hold: {report.Failures.Count} failures");
            return report.Holds ? 0 : 1;
        });
        return new Command("evidence", "Evidence packages for the police") { export, verify };
    }

    /// <summary>
    /// What a verification trusts: the given key fingerprints and TSA certificates (default: the settings'), and — when
    /// the data directory is an installation (its store exists and its signing key) — its own signing key and the
    /// exports its audit log records.
    /// </summary>
    private static async Task<VerificationTrust> TrustAsync(CliHost services, string[] keys, FileInfo[] tsaFiles, CancellationToken cancellationToken)
    {
        var data = services.Data;
        IEnumerable<string> tsaPaths = tsaFiles.Length > 0 ? [.. tsaFiles.Select(f => f.FullName)] : services.GetRequiredService<EvidenceOptions>().TrustedTsaCertificates;

        var certificates = tsaPaths.Select(path => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(LoadCertificateBytes(path))).ToList();
        var trusted = new HashSet<string>(keys.Select(k => k.Trim().ToLowerInvariant()), StringComparer.Ordinal);
        var installation = services.GetRequiredService<StorageOptions>().Provider == StorageProvider.PostgreSql || File.Exists(data.DatabasePath);
        if (!installation || EvidenceSigningKey.TryLoad(data.InstallationKeysPath) is not { } own)
        {
            return new VerificationTrust { TrustedKeys = trusted, TrustedTsa = certificates };
        }

        using (own)
        {
            trusted.Add(own.Fingerprint);
            await services.InitialiseAsync(cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var exports = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.AsNoTracking()
                .Where(a => a.Action == AuditActions.EvidenceExport && a.Detail != null)
                .Select(a => new { a.Sequence, a.Actor, a.AtUtc, a.Detail }).ToListAsync(cancellationToken);
            var audited = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in exports)
            {
                var match = System.Text.RegularExpressions.Regex.Match(entry.Detail!, "sha256 ([0-9a-f]{64})");
                if (match.Success)
                {
                    audited.TryAdd(match.Groups[1].Value, FormattableString.Invariant($"audit entry {entry.Sequence}, exported by {entry.Actor} at {entry.AtUtc:yyyy-MM-dd HH:mm:ss} UTC"));
                }
            }

            return new VerificationTrust { TrustedKeys = trusted, TrustedTsa = certificates, InstallationKey = own.Fingerprint, AuditedExports = audited };
        }
    }

    private static byte[] LoadCertificateBytes(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(text).RawData
            : bytes;
    }
}
