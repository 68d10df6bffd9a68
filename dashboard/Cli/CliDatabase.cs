using System.Globalization;
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
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<AuditLog>()
            .AddDbContext<WatchDbContext>(o => o.UseSqlite(data.ConnectionString))
            .AddScoped<SourceRegistry>()
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        return services;
    }

    /// <summary>Reads a date or date-time given in Beijing time (or with an explicit offset) as UTC.</summary>
    /// <exception cref="FormatException">Not a date.</exception>
    public static DateTime ParseBeijing(string text)
    {
        string[] formats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy-MM-dd HH:mm", "yyyy-M-d H:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(local, TimeSpan.FromHours(8)).UtcDateTime;
        }

        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            return withOffset.UtcDateTime;
        }

        throw new FormatException($"'{text}' is not a date: use 2026-06-20 or 2026-06-20 09:00 (Beijing time), or ISO 8601 with an offset.");
    }
}
