using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>
/// Announces new alerts to every process of the production profile through PostgreSQL's <c>NOTIFY</c> (no extra
/// broker): the worker that raised an alert need not be the web process whose staff watch the queue.
/// </summary>
public sealed class PostgresAlertNotifier(StorageOptions storage, ILogger<PostgresAlertNotifier> logger) : ITransactionalAlertFeed
{
    /// <summary>The channel every process listens on.</summary>
    public const string Channel = "examnetwatch_alerts";

    // NOTIFY payloads must stay under 8,000 bytes: the title and terms are cut well before that.
    private const int MaxText = 300;

    /// <inheritdoc />
    public async Task PublishWithinAsync(WatchDbContext db, NewAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(alert);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {Payload(alert)})", cancellationToken);
    }

    /// <inheritdoc />
    public void Publish(NewAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var payload = Payload(alert);
        try
        {
            using var connection = new NpgsqlConnection(storage.EffectiveConnectionString());
            connection.Open();
            using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            command.Parameters.AddWithValue("channel", Channel);
            command.Parameters.AddWithValue("payload", payload);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException e)
        {
            // The alert is committed and on the queue page; only its live announcement is lost.
            Log.AlertNotNotified(logger, alert.Id, e.Message);
        }
    }

    private static string Payload(NewAlert alert) => JsonSerializer.Serialize(alert with { Title = Cut(alert.Title), MatchedTerms = Cut(alert.MatchedTerms), Source = Cut(alert.Source) });

    private static string Cut(string text) => text.Length <= MaxText ? text : text[..MaxText] + "…";
}

/// <summary>
/// Listens on <see cref="PostgresAlertNotifier.Channel"/> and hands every alert announced by any process to
/// <paramref name="deliver"/> (the live queue of this web process). Reconnects after a lost connection; alerts
/// announced meanwhile are on the queue page, which the live queue only adds to.
/// </summary>
public sealed class PostgresAlertListener(StorageOptions storage, Action<NewAlert> deliver, ILogger<PostgresAlertListener> logger) : BackgroundService
{
    /// <summary>Gets whether the listener is connected and listening (for tests and readiness).</summary>
    public bool Listening { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Provider != StorageProvider.PostgreSql)
        {
            // One process on SQLite: ingestion hands alerts to the live queue directly.
            return;
        }

        var wait = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(storage.EffectiveConnectionString()) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var command = new NpgsqlCommand("LISTEN " + PostgresAlertNotifier.Channel, connection))
                {
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }

                Listening = true;
                wait = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                Listening = false;
                Log.AlertListenerLost(logger, wait, e.Message);
                await Task.Delay(wait, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        Listening = false;
    }

    private void Deliver(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<NewAlert>(payload) is { } alert)
            {
                deliver(alert);
            }
        }
        catch (JsonException e)
        {
            Log.AlertPayloadUnreadable(logger, e.Message);
        }
    }
}
