using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A migrated SQLite database in a temporary file, as the embedded default uses.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "enw-db-" + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>Gets the connection string of the database.</summary>
    public string ConnectionString => $"Data Source={_path}";

    public WatchDbContext NewContext() => new(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite(ConnectionString).Options);

    public static async Task<TempDatabase> CreateAsync()
    {
        var db = new TempDatabase();
        await using var context = db.NewContext();
        await WatchSchema.MigrateAsync(context, CancellationToken.None);
        return db;
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }
}
