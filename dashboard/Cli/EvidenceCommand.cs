using System.CommandLine;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>evidence export|verify</c>: evidence packages for the police, and their check.</summary>
internal static class EvidenceCommand
{
    public static Command Create()
    {
        var which = new Argument<string>("alert-or-group") { Description = "An alert id (123) or a group (g123: every alert of group 123)" };
        var output = new Option<FileInfo>("--out") { Description = "The package to write (.zip)", Required = true };
        var by = new Option<string>("--by") { Description = "Who exports it (recorded in the report and audited)", DefaultValueFactory = _ => Environment.UserName };
        var chromium = new Option<string>("--chromium") { Description = "Chromium for the screenshots (absent: the report says so)", DefaultValueFactory = _ => EvidenceOptions.DefaultChromium };
        var tsa = new Option<Uri?>("--tsa") { Description = "RFC 3161 timestamp authority for the manifest (default: Evidence__TsaUrl)" };
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

            var data = new DataDirectory(r.GetValue(CommandLine.DataDir)!);
            await using var services = await CliDatabase.OpenAsync(data.Root, ct);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var time = services.GetRequiredService<TimeProvider>();
            var store = new WarcCaptureStore(new WarcWriter(data.CapturesPath, "unused", long.MaxValue, time, EvidenceFiles.Tool), data.CapturesPath);
            var evidence = await new EvidenceCollector(db, store, time).CollectAsync(id.Id, id.Group, r.GetValue(by)!, ct);
            if (evidence is null)
            {
                await Console.Error.WriteLineAsync($"evidence export: no {(id.Group ? "group" : "alert")} {id.Id}");
                return 1;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var tsaUrl = r.GetValue(tsa) ?? EvidenceOptions.FromEnvironment().TsaUrl;
            var exporter = new EvidenceExporter(db, services.GetRequiredService<AuditLog>(), new ChromiumPageRenderer(r.GetValue(chromium)!), time, tsaUrl is null ? null : new TimestampAuthority(http, tsaUrl));
            var path = r.GetValue(output)!.FullName;
            ExportResult result;
            await using (var file = new FileStream(path + ".partial", FileMode.Create, FileAccess.Write))
            {
                result = await exporter.ExportAsync(evidence, file, null, ct);
            }

            File.Move(path + ".partial", path, overwrite: true);
            await Console.Out.WriteLineAsync($"{path}: {result.Files.Count} files, sha256 {result.PackageSha256}{(result.Timestamped ? ", timestamped" : string.Empty)}");
            foreach (var warning in result.Warnings)
            {
                await Console.Out.WriteLineAsync("  note: " + warning);
            }

            return 0;
        });

        var package = new Argument<FileInfo>("package") { Description = "The evidence package (.zip)" }.AcceptExistingOnly();
        var verify = new Command("verify", "Recompute every hash, WARC digest, custody entry and the timestamp of a package: exit 0 only if all hold") { package };
        verify.SetAction(async (r, ct) =>
        {
            var file = r.GetValue(package)!;
            if (!file.Exists)
            {
                await Console.Error.WriteLineAsync($"evidence verify: {file.FullName} does not exist");
                return 2;
            }

            VerificationReport report;
            await using (var stream = file.OpenRead())
            {
                report = EvidenceVerifier.Verify(stream);
            }

            foreach (var line in report.Checked)
            {
                await Console.Out.WriteLineAsync("ok      " + TerminalText.Clean(line));
            }

            foreach (var failure in report.Failures)
            {
                await Console.Out.WriteLineAsync("FAILED  " + TerminalText.Clean(failure));
            }

            await Console.Out.WriteLineAsync(report.Holds ? "package holds" : $"package does NOT hold: {report.Failures.Count} failures");
            return report.Holds ? 0 : 1;
        });
        return new Command("evidence", "Evidence packages for the police") { export, verify };
    }
}
