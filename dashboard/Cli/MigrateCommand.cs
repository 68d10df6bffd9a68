using System.CommandLine;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>migrate</c>: brings the store to this build's schema. On PostgreSQL run it once, before the web and worker
/// processes of a new version start (they refuse an unmigrated database); on SQLite every process migrates at start.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the store's migrations (PostgreSQL: run once before starting the processes of a new version)");
        command.SetAction(async (r, ct) =>
        {
            await using var services = CliHost.Build(r.GetValue(CommandLine.DataDir)!);
            await services.InitialiseAsync(ct, migrate: true);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).ToList();
            var storage = services.GetRequiredService<StorageOptions>();
            await Console.Out.WriteLineAsync($"store ({storage.Provider}) at schema {applied.LastOrDefault() ?? "none"}: {applied.Count} migration(s) applied, none pending");
            return 0;
        });
        return command;
    }
}
