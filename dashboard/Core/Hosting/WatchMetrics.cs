using System.Diagnostics.Metrics;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// The store's measurements (meter <see cref="MeterName"/>): posts stored, alerts raised by severity, and the backlog
/// of the index and notification outboxes (read from the store when scraped, so every process reports the shared
/// figure). Counters count what this process did; a dashboard sums them over processes.
/// </summary>
public sealed class WatchMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ExamNetWatch.Watch";

    private static readonly Meter Counters = new(MeterName);

    private static readonly Counter<long> Posts = Counters.CreateCounter<long>("examnetwatch.posts", "{post}", "New posts stored");

    private static readonly Counter<long> Alerts = Counters.CreateCounter<long>("examnetwatch.alerts", "{alert}", "Alerts raised, by severity");

    private readonly Meter _backlog = new(MeterName);

    public WatchMetrics(IServiceScopeFactory scopes)
    {
        _backlog.CreateObservableGauge("examnetwatch.outbox.backlog", () => Backlog(scopes), "{entry}", "Entries waiting in the index and notification outboxes");
    }

    /// <summary>Counts a post stored and, if it raised one, its alert.</summary>
    public static void Stored(Severity? alert)
    {
        Posts.Add(1);
        if (alert is { } severity)
        {
            Alerts.Add(1, new KeyValuePair<string, object?>("severity", severity.Name()));
        }
    }

    public void Dispose() => _backlog.Dispose();

    private static IEnumerable<Measurement<long>> Backlog(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        long index, notifications;
        try
        {
            index = db.IndexOutbox.LongCount();
            notifications = db.NotificationOutbox.LongCount();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            // The store is unreachable: no figure rather than a wrong one (/readyz says why).
            return [];
        }

        return [new(index, new KeyValuePair<string, object?>("outbox", "index")), new(notifications, new KeyValuePair<string, object?>("outbox", "notification"))];
    }
}
