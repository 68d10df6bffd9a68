using System.CommandLine;
using System.Globalization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Indexer.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>doctor</c>: what this installation is configured to use and whether each part answers — the store, the job
/// storage, the search index, the captures and keys folders, Chromium, the CJK font, the TSA and the notification
/// targets. Secrets are never printed. Exit 0 when every required part answers; 1 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Print what is configured (store, job storage, index, captures, keys, Chromium, fonts, TSA, notifications) and whether each part answers");
        command.SetAction(async (r, ct) =>
        {
            await using var services = CliHost.Build(r.GetValue(CommandLine.DataDir)!);
            var report = await CheckAsync(services, ct);
            foreach (var line in report)
            {
                await Console.Out.WriteLineAsync($"{line.State,-5} {line.Part,-14} {TerminalText.Clean(line.Detail)}");
            }

            var failed = report.Count(l => l.State == "FAIL");
            await Console.Out.WriteLineAsync(failed == 0 ? "every required part answers" : $"{failed} required part(s) do not answer");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>One line of the report: <c>ok</c>, <c>warn</c> (optional part missing) or <c>FAIL</c>.</summary>
    public sealed record Finding(string State, string Part, string Detail);

    /// <summary>Checks every part, each bounded to a few seconds.</summary>
    public static async Task<IReadOnlyList<Finding>> CheckAsync(CliHost services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        var findings = new List<Finding>();
        var storage = services.GetRequiredService<StorageOptions>();
        var where = storage.Provider == StorageProvider.PostgreSql ? Describe(storage.EffectiveConnectionString()!) : services.Data.DatabasePath;
        findings.Add(await PartAsync("store", $"{storage.Provider} {where}", async ct =>
        {
            if (storage.Provider == StorageProvider.Sqlite && !File.Exists(services.Data.DatabasePath))
            {
                return ("warn", "no database yet: the first start creates it");
            }

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
            return pending == 0
                ? ("ok", FormattableString.Invariant($"answers; schema current ({applied} migrations)"))
                : (storage.Provider == StorageProvider.PostgreSql ? "FAIL" : "warn", FormattableString.Invariant($"answers; {pending} migration(s) to apply: run `examnetwatch migrate`"));
        }, cancellationToken));

        var jobs = services.Configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        findings.Add(jobs.Storage == JobStorageKind.PostgreSql
            ? await PartAsync("job storage", $"PostgreSql schema {jobs.Schema} {Describe(jobs.EffectiveConnectionString(storage) ?? string.Empty)}", async ct =>
            {
                await using var connection = new Npgsql.NpgsqlConnection(jobs.EffectiveConnectionString(storage));
                await connection.OpenAsync(ct);
                return ("ok", "answers");
            }, cancellationToken)
            : new Finding("ok", "job storage", $"Sqlite {services.Data.HangfirePath} (one process)"));

        var index = services.GetRequiredService<IndexOptions>();
        var indexWhere = index.EffectiveProvider == IndexProvider.Elasticsearch ? $"Elasticsearch {index.ElasticsearchUrl} alias {index.Alias}" : $"Lucene {services.Data.IndexPath}";
        findings.Add(await PartAsync("index", indexWhere, async ct =>
        {
            if (index.EffectiveProvider == IndexProvider.Lucene && !Directory.Exists(services.Data.IndexPath))
            {
                return ("warn", "no index yet: the first start creates it");
            }

            var count = await services.GetRequiredService<IPostIndex>().CountAsync(ct);
            return ("ok", string.Create(CultureInfo.InvariantCulture, $"answers; {count} documents"));
        }, cancellationToken));

        findings.Add(Writable("captures", services.Data.CapturesPath));
        findings.Add(Writable("keys", services.Data.InstallationKeysPath));
        var evidence = services.GetRequiredService<EvidenceOptions>();
        findings.Add(File.Exists(evidence.ChromiumPath)
            ? new Finding("ok", "chromium", evidence.ChromiumPath)
            : new Finding("warn", "chromium", $"{evidence.ChromiumPath} not found: evidence packages will say that no screenshot was taken"));
        findings.Add(File.Exists(PdfWriter.FontPath)
            ? new Finding("ok", "cjk font", PdfWriter.FontPath)
            : new Finding("FAIL", "cjk font", $"{PdfWriter.FontPath} not found: evidence records and reports cannot be written (install fonts-wqy-microhei)"));
        findings.Add(new Finding(evidence.TsaUrl is null ? "warn" : "ok", "timestamps", evidence.TsaUrl is null ? "no RFC 3161 TSA (Evidence:TsaUrl): packages are signed but not timestamped" : evidence.TsaUrl.GetLeftPart(UriPartial.Path)));
        var notifications = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Notifications.NotificationOptions>>().Value;
        findings.Add(new Finding("ok", "notifications", string.Create(CultureInfo.InvariantCulture, $"{notifications.Webhooks.Count} webhook(s), {(notifications.Email is null ? "no" : "an")} email target in the settings (the settings page may add more)")));
        return findings;
    }

    private static async Task<Finding> PartAsync(string part, string configured, Func<CancellationToken, Task<(string State, string Detail)>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var (state, detail) = await check(timeout.Token).WaitAsync(timeout.Token);
            return new Finding(state, part, $"{configured} — {detail}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var reason = e is OperationCanceledException ? "no answer in 10 s" : e.Message;
            return new Finding("FAIL", part, $"{configured} — does not answer: {reason}");
        }
    }

    private static Finding Writable(string part, string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, ".doctor-" + Guid.NewGuid().ToString("N"));
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return new Finding("ok", part, $"{folder} — writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Finding("FAIL", part, $"{folder} — not writable: {e.Message}");
        }
    }

    /// <summary>Where a PostgreSQL connection string points, without its secrets.</summary>
    private static string Describe(string connectionString)
    {
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{parsed.Database} on {parsed.Host}:{parsed.Port} as {parsed.Username}";
    }
}
