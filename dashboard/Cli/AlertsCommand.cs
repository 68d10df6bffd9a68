using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>alerts list</c>: the alerts of a data directory, newest first; safe while the server runs on it.</summary>
public static class AlertsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Option<bool> AsJson = new("--json") { Description = "Print a JSON array instead of a table" };

    private static readonly Option<string?> Status = new("--status")
    {
        Description = "Only alerts in this status: new, confirmed or dismissed",
    };

    private static readonly Option<int> Limit = new("--limit")
    {
        Description = "At most this many alerts (newest first)",
        DefaultValueFactory = _ => 1000,
    };

    /// <summary>One alert as listed.</summary>
    public sealed record AlertRow(long Id, DateTime Created, string Severity, string Status, string Source, string Title, string Url);

    internal static Command Create()
    {
        Status.AcceptOnlyFromAmong([.. AlertStatus.All]);
        var list = new Command("list", "List alerts: id, created (UTC), severity, status, source, title, url");
        list.Options.Add(AsJson);
        list.Options.Add(Status);
        list.Options.Add(Limit);
        list.SetAction(async (result, ct) =>
        {
            await using var services = CliHost.Build(result.GetValue(CommandLine.DataDir)!);
            var rows = await ReadAsync(services, result.GetValue(Status), result.GetValue(Limit), ct);
            await WriteAsync(Console.Out, rows, result.GetValue(AsJson));
            return 0;
        });
        var alerts = new Command("alerts", "Work with alerts");
        alerts.Subcommands.Add(list);
        return alerts;
    }

    /// <summary>Reads alerts from the database of the data directory; none if it has no database yet (none is created).</summary>
    public static async Task<IReadOnlyList<AlertRow>> ReadAsync(CliHost services, string? status, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!File.Exists(services.Data.DatabasePath))
        {
            return [];
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var query = db.Alerts.AsNoTracking();
        if (status is not null)
        {
            query = query.Where(a => a.Status == status);
        }

        var alerts = await query
            .OrderByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id)
            .Take(limit)
            .Select(a => new { a.Id, a.CreatedAtUtc, a.Severity, a.Status, Source = db.Sources.Where(s => s.Id == a.SourceId).Select(s => s.Name).FirstOrDefault(), a.Title, a.Post!.Url })
            .ToListAsync(cancellationToken);
        return [.. alerts.Select(a => new AlertRow(a.Id, DateTime.SpecifyKind(a.CreatedAtUtc, DateTimeKind.Utc), ((Severity)a.Severity).Name(), a.Status, a.Source ?? "?", a.Title, a.Url))];
    }

    /// <summary>Writes rows as a table or as JSON.</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<AlertRow> rows, bool json)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(rows, Json));
            return;
        }

        if (rows.Count == 0)
        {
            await output.WriteLineAsync("no alerts / 暂无告警");
            return;
        }

        await output.WriteLineAsync("ID      CREATED (UTC)         SEVERITY  STATUS     SOURCE / TITLE / URL");
        foreach (var r in rows)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{r.Id,-7} {r.Created:yyyy-MM-dd HH:mm:ss}   {r.Severity,-9} {r.Status,-10} {TerminalText.Clean(r.Source)} / {TerminalText.Clean(r.Title)} / {TerminalText.Clean(r.Url)}"));
        }
    }
}
