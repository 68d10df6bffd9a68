using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Crawling;

/// <summary>Two workers on one PostgreSQL never start requests to one host closer together than its delay.</summary>
public sealed class SharedPolitenessTests : IAsyncLifetime
{
    private string _database = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.Instance.CreateDatabaseAsync();
        await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql(PostgresServer.Instance.ConnectionString(_database)).Options);
        await WatchSchema.MigrateAsync(db, CancellationToken.None);
    }

    public Task DisposeAsync() => PostgresServer.Instance.DropDatabaseAsync(_database);

    [Fact]
    public async Task TwoWorkersReservingAtOnce_GetStartsADelayApart_OtherHostsAreNotHeldBack()
    {
        await using var first = Npgsql.NpgsqlDataSource.Create(PostgresServer.Instance.ConnectionString(_database));
        await using var second = Npgsql.NpgsqlDataSource.Create(PostgresServer.Instance.ConnectionString(_database));
        var workers = new[] { new PostgresHostSchedule(first), new PostgresHostSchedule(second) };
        var delay = TimeSpan.FromSeconds(2);

        var slots = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => workers[i % 2].ReserveAsync("BBS.test:8080", delay, CancellationToken.None)));
        var other = await workers[1].ReserveAsync("news.test", delay, CancellationToken.None);

        var starts = slots.Select(s => s.Start).Order().ToList();
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.True(pair.Second - pair.First >= delay, $"{pair.First:O} → {pair.Second:O}"));
        Assert.True(slots.Max(s => s.Wait) >= TimeSpan.FromSeconds(37), "the last of 20 waits for the 19 before it");
        Assert.Equal(TimeSpan.Zero, other.Wait);
    }

    [Fact]
    public async Task OneWorkerToldToSlowDown_HoldsTheHostBackForTheOther()
    {
        await using var first = Npgsql.NpgsqlDataSource.Create(PostgresServer.Instance.ConnectionString(_database));
        await using var second = Npgsql.NpgsqlDataSource.Create(PostgresServer.Instance.ConnectionString(_database));

        await new PostgresHostSchedule(first).DeferAsync("bbs.test", TimeSpan.FromSeconds(120), CancellationToken.None);
        var next = await new PostgresHostSchedule(second).ReserveAsync("bbs.test", TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(next.Wait > TimeSpan.FromSeconds(115), $"waits {next.Wait}");
    }
}
