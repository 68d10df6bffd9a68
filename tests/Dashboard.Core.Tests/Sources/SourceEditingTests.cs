using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Sources;

/// <summary>Changing a registered source: settings checked and audited field by field, renewals, and the renewal warning.</summary>
public sealed class SourceEditingTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Now));

    [Fact]
    public async Task UpdateAsync_ChangedSchedule_SavedAndAuditedWithBeforeAndAfter()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration(), CancellationToken.None);

        var settings = SourceRegistry.SettingsOf(source) with { Schedule = "0 */5 * * * *", ExamCritical = true };
        await registry.UpdateAsync(source.Id, settings, "管理员", "127.0.0.1", CancellationToken.None);

        var saved = await db.Sources.AsNoTracking().SingleAsync(s => s.Id == source.Id);
        Assert.Equal("0 */5 * * * *", saved.Schedule);
        Assert.True(saved.ExamCritical);
        var entry = await db.Audit.SingleAsync(a => a.Action == "source.update");
        Assert.Equal("管理员", entry.Actor);
        Assert.Equal("127.0.0.1", entry.RemoteAddress);
        Assert.Contains("schedule: 0 */15 * * * * → 0 */5 * * * *", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("exam-critical: False → True", entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("scope", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateAsync_EntryOutsideTheScope_RefusedAndNothingChanges()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => registry.UpdateAsync(source.Id, SourceRegistry.SettingsOf(source) with { EntryUrls = ["http://elsewhere.test/"] }, "管理员", null, CancellationToken.None));

        Assert.Contains("outside the scope", error.Message, StringComparison.Ordinal);
        await using var check = database.NewContext();
        Assert.Equal("http://bbs.test/forum.php?mod=forumdisplay&fid=2", (await check.Sources.SingleAsync()).EntryUrls);
        Assert.False(await check.Audit.AnyAsync(a => a.Action == "source.update"));
    }

    [Fact]
    public async Task UpdateAsync_NothingChanged_WritesNoAuditEntry()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration(), CancellationToken.None);

        await registry.UpdateAsync(source.Id, SourceRegistry.SettingsOf(source), "管理员", null, CancellationToken.None);

        Assert.False(await db.Audit.AnyAsync(a => a.Action == "source.update"));
    }

    [Fact]
    public async Task AuthoriseAsync_RenewalBeforeExpiry_KeepsTheSourceActiveAfterTheOldOneEnds()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration() with { ValidUntilUtc = Now.AddDays(5) }, CancellationToken.None);
        Assert.NotNull(SourceStatus.Warning(source, Now));

        await registry.AuthoriseAsync(source.Id, new AuthorisationRegistration("赣考院中〔2026〕7号", "江西省教育考试院", "续期", Now.AddDays(4), Now.AddDays(200), "管理员"), null, CancellationToken.None);

        var renewed = (await registry.FindAsync(source.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None))!;
        Assert.Null(SourceStatus.Warning(renewed, Now));
        Assert.Equal("active", SourceStatus.Of(renewed, Now.AddDays(10)).Code);
        Assert.Equal(2, await db.Audit.CountAsync(a => a.Action == "authorisation.register"));
    }

    [Fact]
    public async Task AuthoriseAsync_WindowEndingBeforeItStarts_Refused()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration(), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => registry.AuthoriseAsync(source.Id, new AuthorisationRegistration("x", "y", "", Now.AddDays(9), Now.AddDays(1), "管理员"), null, CancellationToken.None));

        Assert.Single((await registry.FindAsync(source.Name, CancellationToken.None))!.Authorisations);
    }

    [Fact]
    public async Task RevokeAsync_TheOnlyAuthorisation_StopsTheSourceAndIsAuditedWithTheReason()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var registry = new SourceRegistry(db, new AuditLog(_time), _time);
        var source = await registry.AddAsync(Registration(), CancellationToken.None);
        var authorisation = source.Authorisations.Single();

        await Assert.ThrowsAsync<ArgumentException>(() => registry.RevokeAsync(source.Id, authorisation.Id, "管理员", " ", null, CancellationToken.None));
        await registry.RevokeAsync(source.Id, authorisation.Id, "管理员", "批准机关来函撤回", null, CancellationToken.None);

        var status = SourceStatus.Of(source, Now);
        Assert.Equal("revoked", status.Code);
        Assert.False(status.IsActive);
        Assert.Contains("批准机关来函撤回", (await db.Audit.SingleAsync(a => a.Action == "authorisation.revoke")).Detail, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RevokeAsync(source.Id, authorisation.Id, "管理员", "再次", null, CancellationToken.None));
    }

    [Theory]
    [InlineData(20, false)]
    [InlineData(13, true)]
    [InlineData(1, true)]
    public void Warning_AuthorisationEndingSoon_WarnsWithinFourteenDays(int daysLeft, bool warned)
    {
        var source = new Source { Name = "x", EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        source.Authorisations.Add(new SourceAuthorisation { Basis = "b", ApprovedBy = "a", ScopeNote = "", RegisteredBy = "r", ValidFromUtc = Now.AddDays(-30), ValidUntilUtc = Now.AddDays(daysLeft) });

        var warning = SourceStatus.Warning(source, Now);

        Assert.Equal(warned, warning is not null);
        if (warned)
        {
            Assert.Contains($"剩 {daysLeft} 天", warning!.ToString(), StringComparison.Ordinal);
        }
    }

    private static SourceRegistration Registration() => TestSources.Registration(Now);
}
