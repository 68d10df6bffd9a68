using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>The database of a data directory for verbs that run without the web host (migrated, WAL, safe beside a running server).</summary>
internal static class CliDatabase
{
    public static async Task<ServiceProvider> OpenAsync(string dataDir, CancellationToken cancellationToken)
    {
        var data = new DataDirectory(dataDir);
        data.Create();
        var services = data.AddWatchDatabase(new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<AuditLog>()
            .AddScoped<SourceRegistry>())
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        await WatchSchema.MigrateAsync(db, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await AuditChain.SealLegacyAsync(db, cancellationToken);
        return services;
    }
}
