using ExamNetWatch.Crawler.Fetching;
using Npgsql;

namespace ExamNetWatch.Dashboard.Crawling;

/// <summary>
/// Per-host politeness across every worker, in the store (table <c>CrawlHostSlots</c>): one row per host holds when
/// its next request may start, moved on by one atomic upsert per request, on the database's clock (the workers' own
/// clocks may differ). Two workers therefore never start requests to one host closer together than its delay.
/// </summary>
public sealed class PostgresHostSchedule(NpgsqlDataSource database) : ISharedHostSchedule
{
    /// <inheritdoc />
    public async Task<HostSlot> ReserveAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        await using var command = database.CreateCommand(
            """
            INSERT INTO "CrawlHostSlots" ("Host", "NextStartUtc") VALUES (@host, now() + @delay)
            ON CONFLICT ("Host") DO UPDATE SET "NextStartUtc" = GREATEST("CrawlHostSlots"."NextStartUtc", now()) + @delay
            RETURNING "NextStartUtc" - @delay, now()
            """);
        command.Parameters.AddWithValue("host", host.ToLowerInvariant());
        command.Parameters.AddWithValue("delay", delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var start = reader.GetFieldValue<DateTimeOffset>(0);
        var now = reader.GetFieldValue<DateTimeOffset>(1);
        return new HostSlot(start, start > now ? start - now : TimeSpan.Zero);
    }

    /// <inheritdoc />
    public async Task DeferAsync(string host, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        await using var command = database.CreateCommand(
            """
            INSERT INTO "CrawlHostSlots" ("Host", "NextStartUtc") VALUES (@host, now() + @delay)
            ON CONFLICT ("Host") DO UPDATE SET "NextStartUtc" = GREATEST("CrawlHostSlots"."NextStartUtc", now() + @delay)
            """);
        command.Parameters.AddWithValue("host", host.ToLowerInvariant());
        command.Parameters.AddWithValue("delay", delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
