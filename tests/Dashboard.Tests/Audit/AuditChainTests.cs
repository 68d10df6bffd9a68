using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Audit;

/// <summary>The audit log is a hash chain: writers extend one chain, and any change, insertion or removal is found.</summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task ConcurrentWriters_ExtendOneUnbrokenChain()
    {
        await using var database = await TempDatabase.CreateAsync();
        var audit = new AuditLog(TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await using var db = database.NewContext();
                audit.Add(db, "user" + writer, "alert.note", $"alert:{i}", "第 " + i + " 条");
                audit.Add(db, "user" + writer, "alert.tag", $"alert:{i}");
                await db.SaveChangesAsync();
            }
        })));

        await using var check = database.NewContext();
        var result = await AuditChain.VerifyAsync(check, CancellationToken.None);
        Assert.True(result.Holds, string.Join("\n", result.Problems));
        Assert.Equal(200, result.Entries);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long?)i), await check.Audit.OrderBy(a => a.Sequence).Select(a => a.Sequence).ToListAsync());
    }

    [Fact]
    public async Task EntryChangedInTheDatabase_VerifyNamesIt()
    {
        await using var database = await TempDatabase.CreateAsync();
        var ids = await WriteAsync(database, 5);
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE Audit SET Detail = '改过' WHERE Id = {0}", ids[2]);
        }

        await using var check = database.NewContext();
        var result = await AuditChain.VerifyAsync(check, CancellationToken.None);

        Assert.False(result.Holds);
        Assert.Contains(result.Problems, p => p.StartsWith("sequence 3 ", StringComparison.Ordinal) && p.Contains("changed after it was written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryDeleted_VerifySaysWhichIsMissing()
    {
        await using var database = await TempDatabase.CreateAsync();
        var ids = await WriteAsync(database, 5);
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM Audit WHERE Id = {0}", ids[1]);
        }

        await using var check = database.NewContext();
        var result = await AuditChain.VerifyAsync(check, CancellationToken.None);

        Assert.Contains(result.Problems, p => p.StartsWith("sequence 2: missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LegacyEntries_WrittenBeforeTheChain_AreSealedInOrderOnce()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using (var db = database.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO Audit (AtUtc, Actor, Action, Target) VALUES ('2026-01-01 00:00:00', 'old', 'user.login', 'user:old'), ('2026-01-02 00:00:00', 'old', 'user.login', 'user:old')");
            Assert.False((await AuditChain.VerifyAsync(db, CancellationToken.None)).Holds);
            Assert.Equal(2, await AuditChain.SealLegacyAsync(db, CancellationToken.None));
            Assert.Equal(0, await AuditChain.SealLegacyAsync(db, CancellationToken.None));
        }

        await WriteAsync(database, 1);
        await using var check = database.NewContext();
        Assert.True((await AuditChain.VerifyAsync(check, CancellationToken.None)).Holds);
        Assert.Equal(3, await check.Audit.MaxAsync(a => a.Sequence));
    }

    private static async Task<List<long>> WriteAsync(TempDatabase database, int count)
    {
        var audit = new AuditLog(TimeProvider.System);
        await using var db = database.NewContext();
        for (var i = 0; i < count; i++)
        {
            audit.Add(db, "甲", "alert.note", "alert:1", "备注 " + i, "127.0.0.1");
            await db.SaveChangesAsync();
        }

        return await db.Audit.OrderBy(a => a.Sequence).Select(a => a.Id).ToListAsync();
    }
}
