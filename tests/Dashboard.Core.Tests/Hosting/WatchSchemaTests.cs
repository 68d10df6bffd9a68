using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

/// <summary>A database made by another build's schema history is refused with a message that says what to do, and left untouched.</summary>
public sealed class WatchSchemaTests
{
    [Fact]
    public async Task ADatabaseWithAnUnknownMigration_IsRefusedClearlyAndLeftAsItIs()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('20261129230459_CrawlerState', '10.0.15');");
            db.Settings.Add(new SettingEntry { Key = "kept", Json = "{}", UpdatedBy = "test", UpdatedAtUtc = new DateTime(2026, 6, 20, 0, 0, 0, DateTimeKind.Utc) });
            await db.SaveChangesAsync();
        }

        await using var again = database.NewContext();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => WatchSchema.MigrateAsync(again, CancellationToken.None));

        Assert.Contains("20261129230459_CrawlerState", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--data-dir", refused.Message, StringComparison.Ordinal);
        Assert.True(await again.Settings.AnyAsync(s => s.Key == "kept"));
    }

    [Fact]
    public async Task ADatabaseOfThisBuild_MigratesAgainWithoutComplaint()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();

        await WatchSchema.MigrateAsync(db, CancellationToken.None);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }
}
