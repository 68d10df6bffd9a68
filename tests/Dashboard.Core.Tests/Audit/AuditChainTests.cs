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
            await db.Audit.Where(a => a.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(a => a.Detail, "改过"));
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
            await db.Audit.Where(a => a.Id == ids[1]).ExecuteDeleteAsync();
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
            // Rows as a build before the chain wrote them: no sequence, no hash (plain SQL, past the chaining SaveChanges).
            var (first, second) = (new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc));
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "Audit" ("AtUtc", "Actor", "Action", "Target") VALUES ({first}, 'old', 'user.login', 'user:old'), ({second}, 'old', 'user.login', 'user:old')""");
            Assert.False((await AuditChain.VerifyAsync(db, CancellationToken.None)).Holds);
            Assert.Equal(2, await AuditChain.SealLegacyAsync(db, CancellationToken.None));
            Assert.Equal(0, await AuditChain.SealLegacyAsync(db, CancellationToken.None));
        }

        await WriteAsync(database, 1);
        await using var check = database.NewContext();
        Assert.True((await AuditChain.VerifyAsync(check, CancellationToken.None)).Holds);
        Assert.Equal(3, await check.Audit.MaxAsync(a => a.Sequence));
    }

    [Fact]
    public async Task NewestEntriesRemoved_TheAnchorOutsideTheDatabaseNoticesHowMany()
    {
        await using var database = await TempDatabase.CreateAsync();
        var anchor = NewAnchor();
        await WriteAsync(database, 5, anchor);
        Assert.True((await VerifyAsync(database, anchor)).Holds);

        await using (var db = database.NewContext())
        {
            await db.Audit.Where(a => a.Sequence > 3).ExecuteDeleteAsync();
        }

        // The chain that is left holds by itself; only the anchor knows it was longer.
        Assert.True((await VerifyAsync(database, anchor: null)).Holds);
        var result = await VerifyAsync(database, anchor);
        Assert.False(result.Holds);
        Assert.Contains(result.Problems, p => p.Contains("ends at sequence 3", StringComparison.Ordinal) && p.Contains("newest 2 entries were removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryChangedAndTheWholeChainRecomputed_TheAnchorNoticesFromThatEntryOn()
    {
        await using var database = await TempDatabase.CreateAsync();
        var anchor = NewAnchor();
        await WriteAsync(database, 5, anchor);

        // A forger edits entry 2 and recomputes every hash after it, as anyone with the database and the code can.
        await using (var db = database.NewContext())
        {
            var entries = await db.Audit.OrderBy(a => a.Sequence).ToListAsync();
            entries[1].Detail = "改过";
            var previous = AuditChain.Genesis;
            foreach (var entry in entries)
            {
                entry.PreviousHash = previous;
                entry.Hash = AuditChain.ComputeHash(entry, previous);
                previous = entry.Hash;
            }

            await db.SaveChangesWithoutChainAsync(CancellationToken.None);
        }

        Assert.True((await VerifyAsync(database, anchor: null)).Holds);
        var result = await VerifyAsync(database, anchor);
        Assert.False(result.Holds);
        Assert.Equal(4, result.Problems.Count(p => p.Contains("not the one anchored", StringComparison.Ordinal)));
        Assert.Equal(5, result.Anchored);
    }

    [Fact]
    public async Task EntryInsertedWithoutTheChain_VerifySaysItIsOutsideTheChain()
    {
        await using var database = await TempDatabase.CreateAsync();
        await WriteAsync(database, 3);
        await using (var db = database.NewContext())
        {
            // A plain row written into the table, as anyone with the database can.
            db.Audit.Add(new AuditEntry { AtUtc = TimeProvider.System.GetUtcNow().UtcDateTime, Actor = "甲", Action = "alert.close", Target = "alert:1", Detail = "补记" });
            await db.SaveChangesWithoutChainAsync(CancellationToken.None);
        }

        var result = await VerifyAsync(database, anchor: null);

        Assert.False(result.Holds);
        Assert.Contains("1 entries are outside the chain", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntryInsertedInTheMiddleWithItsOwnHash_VerifyNamesTheEntryThatNoLongerFollows()
    {
        await using var database = await TempDatabase.CreateAsync();
        var ids = await WriteAsync(database, 5);
        await using (var db = database.NewContext())
        {
            // After entry 2: the later entries moved up one place, the new one hashed as the code would hash it.
            var entries = await db.Audit.OrderBy(a => a.Sequence).ToListAsync();
            // Two steps, so no two rows hold one sequence number on the way.
            await db.Audit.Where(a => a.Sequence > 2).ExecuteUpdateAsync(u => u.SetProperty(a => a.Sequence, a => a.Sequence + 1000));
            await db.Audit.Where(a => a.Sequence > 1000).ExecuteUpdateAsync(u => u.SetProperty(a => a.Sequence, a => a.Sequence - 999));
            var inserted = new AuditEntry { AtUtc = entries[1].AtUtc, Actor = "甲", Action = "alert.close", Target = "alert:1", Detail = "补记", Sequence = 3, PreviousHash = entries[1].Hash };
            inserted.Hash = AuditChain.ComputeHash(inserted, inserted.PreviousHash!);
            db.Audit.Add(inserted);
            await db.SaveChangesWithoutChainAsync(CancellationToken.None);
        }

        var result = await VerifyAsync(database, anchor: null);

        Assert.False(result.Holds);
        // The entry that was third is now fourth: it neither follows the inserted one nor hashes to what it carries.
        Assert.Contains(result.Problems, p => p.StartsWith(FormattableString.Invariant($"sequence 4 (entry id {ids[2]}): does not follow"), StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.StartsWith(FormattableString.Invariant($"sequence 4 (entry id {ids[2]},"), StringComparison.Ordinal) && p.EndsWith("changed after it was written", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EntryAppendedWithAWellComputedHash_OnlyTheAnchorNoticesIt()
    {
        await using var database = await TempDatabase.CreateAsync();
        var anchor = NewAnchor();
        await WriteAsync(database, 3, anchor);
        await using (var db = database.NewContext())
        {
            var last = await db.Audit.OrderByDescending(a => a.Sequence).FirstAsync();
            var appended = new AuditEntry { AtUtc = last.AtUtc, Actor = "甲", Action = "alert.close", Target = "alert:1", Detail = "补记", Sequence = 4, PreviousHash = last.Hash };
            appended.Hash = AuditChain.ComputeHash(appended, appended.PreviousHash!);
            db.Audit.Add(appended);
            await db.SaveChangesWithoutChainAsync(CancellationToken.None);
        }

        // The chain holds by itself; the anchor outside the database never saw sequence 4.
        Assert.True((await VerifyAsync(database, anchor: null)).Holds);
        var result = await VerifyAsync(database, anchor);
        Assert.False(result.Holds);
        Assert.Contains("sequence 4 to 4: after the newest head anchored", Assert.Single(result.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnchorLineForged_WithoutTheKey_IsNamed()
    {
        await using var database = await TempDatabase.CreateAsync();
        var anchor = NewAnchor();
        await WriteAsync(database, 2, anchor);
        var lines = await File.ReadAllLinesAsync(anchor.LogPath);
        Assert.StartsWith("2\t", lines[^1], StringComparison.Ordinal);
        await File.AppendAllTextAsync(anchor.LogPath, "1" + lines[^1][1..] + "\n");

        var result = await VerifyAsync(database, anchor);

        Assert.Contains(result.Problems, p => p.Contains("line 3: not an anchor written with this installation's key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessesSharingTheKeysVolume_AnchorOneLog_ThatCoversTheWholeChain()
    {
        await using var database = await TempDatabase.CreateAsync();
        var shared = Directory.CreateTempSubdirectory("enw-shared-keys-").FullName;
        var web = new ExamNetWatch.Dashboard.Hosting.DataDirectory(Directory.CreateTempSubdirectory("enw-web-").FullName, null, shared);
        var worker = new ExamNetWatch.Dashboard.Hosting.DataDirectory(Directory.CreateTempSubdirectory("enw-worker-").FullName, null, shared);
        Assert.Equal(web.AuditAnchor().LogPath, worker.AuditAnchor().LogPath);
        Assert.StartsWith(shared, web.AuditAnchor().LogPath, StringComparison.Ordinal);

        // Both write at once, as a web and a worker process do.
        await Task.WhenAll(WriteAsync(database, 15, web.AuditAnchor()), WriteAsync(database, 15, worker.AuditAnchor()));

        var result = await VerifyAsync(database, web.AuditAnchor());
        Assert.True(result.Holds, string.Join("; ", result.Problems));
        Assert.Equal(30, result.Anchored);
        Assert.Equal(30, result.Entries);

        // The newest entry, whichever process wrote it, cannot go unnoticed by the other.
        await using (var db = database.NewContext())
        {
            await db.Audit.Where(a => a.Sequence == 30).ExecuteDeleteAsync();
        }

        Assert.Contains((await VerifyAsync(database, worker.AuditAnchor())).Problems, p => p.Contains("the chain ends at sequence 29, but audit-anchor.log anchored sequence 30", StringComparison.Ordinal));
    }

    private static AuditAnchor NewAnchor()
    {
        var folder = Directory.CreateTempSubdirectory("enw-anchor-").FullName;
        var anchor = new AuditAnchor(Path.Combine(folder, AuditAnchor.LogFileName), Path.Combine(folder, "keys", AuditAnchor.KeyFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "keys", AuditAnchor.KeyFileName)));
        }

        return anchor;
    }

    private static async Task<AuditVerification> VerifyAsync(TempDatabase database, AuditAnchor? anchor)
    {
        await using var check = database.NewContext();
        return await AuditChain.VerifyAsync(check, CancellationToken.None, anchor: anchor);
    }

    private static async Task<List<long>> WriteAsync(TempDatabase database, int count, AuditAnchor anchor)
    {
        var audit = new AuditLog(TimeProvider.System);
        await using var db = database.NewContext(new AuditAnchorInterceptor(anchor, TimeProvider.System));
        for (var i = 0; i < count; i++)
        {
            audit.Add(db, "甲", "alert.note", "alert:1", "备注 " + i, "127.0.0.1");
            await db.SaveChangesAsync();
        }

        return await db.Audit.OrderBy(a => a.Sequence).Select(a => a.Id).ToListAsync();
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
