using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// A migrated, empty store for one test: a SQLite file in the temporary folder, as the embedded default uses, or — when
/// <c>EXAMNETWATCH_TEST_STORAGE=PostgreSql</c> (the test command runs the core's suite a second time so) — a new
/// database on the tests' own PostgreSQL server, as the production profile uses.
/// </summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string? _file;
    private readonly string? _postgresDatabase;
    private readonly List<ServiceProvider> _services = [];

    private TempDatabase(string? file, string? postgresDatabase, string connectionString)
    {
        _file = file;
        _postgresDatabase = postgresDatabase;
        ConnectionString = connectionString;
    }

    /// <summary>Gets the store the tests of this process run on.</summary>
    public static StorageProvider Provider { get; } =
        Enum.TryParse<StorageProvider>(Environment.GetEnvironmentVariable("EXAMNETWATCH_TEST_STORAGE"), ignoreCase: true, out var provider) ? provider : StorageProvider.Sqlite;

    /// <summary>Gets the connection string of the database.</summary>
    public string ConnectionString { get; }

    /// <summary>Gets the storage settings that name this database (for a host built on it).</summary>
    public StorageOptions Storage => Provider == StorageProvider.PostgreSql ? new StorageOptions { Provider = Provider, ConnectionString = ConnectionString } : new StorageOptions();

    /// <summary>Returns a context on the database with <paramref name="interceptors"/>.</summary>
    public WatchDbContext NewContext(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<WatchDbContext>();
        if (Provider == StorageProvider.PostgreSql)
        {
            options.UseWatchPostgreSql(ConnectionString);
        }
        else
        {
            options.UseWatchSqlite(ConnectionString);
        }

        return new(options.AddInterceptors(interceptors).Options);
    }

    /// <summary>Adds a source with nothing to crawl (for tests that hand posts to ingest directly); returns its id.</summary>
    public async Task<int> AddBareSourceAsync(string name = "论坛")
    {
        await using var db = NewContext();
        var source = new Source { Name = name, EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        return source.Id;
    }

    /// <summary>Returns the crawl leases of one process on this database, on <paramref name="time"/>.</summary>
    public ExamNetWatch.Dashboard.Crawling.CrawlLeases NewLeases(TimeProvider time)
    {
        var services = new ServiceCollection().AddScoped(_ => NewContext()).BuildServiceProvider();
        _services.Add(services);
        return new(services.GetRequiredService<IServiceScopeFactory>(), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<ExamNetWatch.Dashboard.Crawling.CrawlLeases>.Instance);
    }

    /// <summary>
    /// Makes the database unreachable as a running process sees it: on PostgreSQL its connections are ended and it is
    /// renamed (as during a restart or failover, "database does not exist"); on SQLite its file is moved away.
    /// </summary>
    public async Task TakeAwayAsync()
    {
        if (_postgresDatabase is not null)
        {
            await PostgresServer.Instance.RenameDatabaseAsync(_postgresDatabase, _postgresDatabase + "_away");
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Move(_file!, _file + ".away");
    }

    /// <summary>Undoes <see cref="TakeAwayAsync"/>.</summary>
    public async Task BringBackAsync()
    {
        if (_postgresDatabase is not null)
        {
            await PostgresServer.Instance.RenameDatabaseAsync(_postgresDatabase + "_away", _postgresDatabase);
            return;
        }

        // A connection made meanwhile created an empty file (and its journal): the real one goes back in its place. A
        // process still polling may create the empty file again at any moment, so the real one replaces it in one rename.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var made in new[] { _file + "-wal", _file + "-shm" }.Where(File.Exists))
        {
            File.Delete(made);
        }

        File.Move(_file + ".away", _file!, overwrite: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public static async Task<TempDatabase> CreateAsync()
    {
        TempDatabase database;
        if (Provider == StorageProvider.PostgreSql)
        {
            var name = await PostgresServer.Instance.CreateDatabaseAsync();
            database = new TempDatabase(null, name, PostgresServer.Instance.ConnectionString(name));
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), "enw-db-" + Guid.NewGuid().ToString("N") + ".db");
            database = new TempDatabase(file, null, $"Data Source={file}");
        }

        await using var context = database.NewContext();
        await WatchSchema.MigrateAsync(context, CancellationToken.None);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var services in _services)
        {
            await services.DisposeAsync();
        }

        if (_postgresDatabase is not null)
        {
            await PostgresServer.Instance.DropDatabaseAsync(_postgresDatabase);
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file!);
    }
}
