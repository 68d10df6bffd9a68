using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>Brings a database to the schema of this build, or says clearly why it cannot.</summary>
public static class WatchSchema
{
    /// <summary>The assembly holding the schema history on SQLite (one project of migrations per database provider).</summary>
    public const string SqliteMigrationsAssembly = "ExamNetWatch.Dashboard.Migrations.Sqlite";

    /// <summary>Uses the SQLite database <paramref name="connectionString"/>, with its schema history from <see cref="SqliteMigrationsAssembly"/>.</summary>
    public static T UseWatchSqlite<T>(this T options, string connectionString)
        where T : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));
        return options;
    }

    /// <summary>
    /// Applies the migrations the database lacks. A database whose history names migrations this build does not have
    /// (made by a development build before the schema history was squashed into one initial migration, or by a newer
    /// build) is refused before anything is changed, with a message that says what to do.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database's history holds migrations unknown to this build.</exception>
    public static async Task MigrateAsync(WatchDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        if (known.Count == 0)
        {
            throw new InvalidOperationException(
                $"This build has no schema history for its database provider: the migrations assembly ({SqliteMigrationsAssembly} for SQLite) "
                + "is not beside the program. Reinstall or rebuild ExamNetWatch; the database was not changed.");
        }

        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database {db.Database.GetDbConnection().DataSource} was made by another build of ExamNetWatch: its schema history names "
                + $"{string.Join(", ", unknown)}, which this build does not have (development builds before 2026-12-01 had a longer history, "
                + "since squashed into one initial migration). It is left as it is. Start this build with a new data directory (--data-dir), "
                + "after exporting what you need with the build that made it.");
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}
