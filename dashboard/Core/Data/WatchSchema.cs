using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>Brings a database to the schema of this build, or says clearly why it cannot.</summary>
public static class WatchSchema
{
    /// <summary>The assembly holding the schema history on SQLite (one project of migrations per database provider).</summary>
    public const string SqliteMigrationsAssembly = "ExamNetWatch.Dashboard.Migrations.Sqlite";

    /// <summary>The assembly holding the schema history on PostgreSQL.</summary>
    public const string PostgreSqlMigrationsAssembly = "ExamNetWatch.Dashboard.Migrations.PostgreSql";

    /// <summary>Uses the PostgreSQL database <paramref name="connectionString"/>, with its schema history from <see cref="PostgreSqlMigrationsAssembly"/>.</summary>
    public static T UseWatchPostgreSql<T>(this T options, string connectionString)
        where T : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(options);
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlMigrationsAssembly));
        return options;
    }

    /// <summary>Uses the store <paramref name="storage"/> names: its PostgreSQL database, else the SQLite file of <paramref name="data"/>.</summary>
    public static T UseWatchStore<T>(this T options, StorageOptions storage, Hosting.DataDirectory data)
        where T : DbContextOptionsBuilder
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(data);
        return storage.Provider == StorageProvider.PostgreSql ? options.UseWatchPostgreSql(storage.EffectiveConnectionString()!) : options.UseWatchSqlite(data.ConnectionString);
    }

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
                $"This build has no schema history for its database provider ({db.Database.ProviderName}): the migrations assembly "
                + $"({SqliteMigrationsAssembly} for SQLite, {PostgreSqlMigrationsAssembly} for PostgreSQL) "
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

    /// <summary>
    /// Makes the store ready for a process: on SQLite (the embedded default, no set-up) the migrations are applied and
    /// WAL is switched on; on PostgreSQL they are applied only when <paramref name="migrate"/> is set (the
    /// <c>migrate</c> verb, run once before the processes of a new version start) — otherwise a database that lacks
    /// any is refused with a message saying so.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The database cannot be reached, or is not at this build's schema.</exception>
    public static async Task PrepareAsync(WatchDbContext db, bool migrate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var postgres = db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
        try
        {
            if (postgres && !migrate)
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                if (pending.Count > 0)
                {
                    throw new StoreUnavailableException(
                        $"The PostgreSQL database (Storage:ConnectionString) lacks {pending.Count} migration(s) of this build ({string.Join(", ", pending)}): "
                        + "run `examnetwatch migrate` once with the same settings, then start the processes again. Nothing was changed.");
                }

                return;
            }

            await MigrateAsync(db, cancellationToken);
            if (!postgres)
            {
                // WAL lets `alerts list` and other readers work while the server writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Npgsql.NpgsqlException e)
        {
            var where = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            throw new StoreUnavailableException(
                $"The PostgreSQL database {where.Database} on {where.Host}:{where.Port} (Storage:ConnectionString) cannot be used: {e.Message}", e);
        }
    }
}

/// <summary>The store cannot be used as configured; the message names the setting and says what to do.</summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
