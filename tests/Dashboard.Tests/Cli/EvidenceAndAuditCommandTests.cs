using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Evidence;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary><c>evidence verify</c> and <c>audit verify</c> as processes: their exit codes are what scripts rely on.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class EvidenceAndAuditCommandTests(DemoServerFixture demo) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-cli-evidence-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task EvidenceVerify_IntactPackageExitsZero_ChangedOneExitsOneNamingTheFile()
    {
        var alertId = await EvidenceTestKit.FirstCrawledAlertAsync(demo);

        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, alertId, null);
        Directory.CreateDirectory(_dir);
        var good = Path.Combine(_dir, "good.zip");
        var bad = Path.Combine(_dir, "bad.zip");
        await File.WriteAllBytesAsync(good, zip);
        await File.WriteAllBytesAsync(bad, EvidenceTestKit.Rewrite(zip, "custody.json", EvidenceTestKit.FlipMiddleByte));

        var (okCode, okOut, _) = await ExamNetWatchProcess.RunAsync("evidence", "verify", good, "--data-dir", _dir);
        var (badCode, badOut, _) = await ExamNetWatchProcess.RunAsync("evidence", "verify", bad, "--data-dir", _dir);

        Assert.True(okCode == 0, okOut);
        Assert.Contains("package holds", okOut, StringComparison.Ordinal);
        Assert.Equal(1, badCode);
        Assert.Matches(@"(?m)^FAILED +custody\.json", badOut);
    }

    [Fact]
    public async Task EvidenceVerify_OnTheExportingInstallation_ChecksItsSignatureAndItsAuditedExport_ElsewhereSaysWhatItCannotCheck()
    {
        var (zip, result) = await EvidenceTestKit.ExportAsync(demo, await EvidenceTestKit.FirstCrawledAlertAsync(demo), null);
        Directory.CreateDirectory(_dir);
        var package = Path.Combine(_dir, "case.zip");
        await File.WriteAllBytesAsync(package, zip);
        var fingerprint = demo.Server.App.Services.GetRequiredService<ExamNetWatch.Dashboard.Evidence.EvidenceSigningKey>().Fingerprint;

        var (code, stdout, _) = await ExamNetWatchProcess.RunAsync("evidence", "verify", package, "--data-dir", demo.DataDir);

        Assert.True(code == 0, stdout);
        Assert.Matches(@"(?m)^ok +signature\.json: ECDSA P-256 signature over manifest\.json by trusted key " + fingerprint, stdout);
        Assert.Matches(@"(?m)^ok +audit record: this installation's audit log records the export of this exact package \(sha256 " + result.PackageSha256 + @"\): audit entry \d+, exported by 取证员甲", stdout);

        // Elsewhere: the signature holds, the key is named for comparison with the extraction record, and the audit is not claimed.
        var (elsewhereCode, elsewhere, _) = await ExamNetWatchProcess.RunAsync("evidence", "verify", package, "--data-dir", Path.Combine(_dir, "elsewhere"));
        Assert.True(elsewhereCode == 0, elsewhere);
        Assert.Matches(@"(?m)^not checked +signature\.json: the signature holds under key " + fingerprint, elsewhere);
        Assert.Matches(@"(?m)^not checked +audit record: only the exporting installation", elsewhere);

        // Given the fingerprint from the extraction record, a package signed by any other key fails there too.
        var (otherCode, other, _) = await ExamNetWatchProcess.RunAsync("evidence", "verify", package, "--trusted-key", "sha256:" + new string('0', 64), "--data-dir", Path.Combine(_dir, "elsewhere"));
        Assert.Equal(1, otherCode);
        Assert.Matches(@"(?m)^FAILED +signature\.json: signed by key " + fingerprint + ", which is not a trusted key", other);
    }

    [Fact]
    public async Task AuditVerify_AfterAnEntryIsEditedInTheDatabase_ExitsOne()
    {
        var data = Path.Combine(_dir, "data");
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync("users", "add", "王老师", "--role", "Admin", "--data-dir", data)).Code);
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync("users", "add", "李老师", "--role", "Viewer", "--data-dir", data)).Code);
        var (holdsCode, holdsOut, _) = await ExamNetWatchProcess.RunAsync("audit", "verify", "--data-dir", data);
        Assert.True(holdsCode == 0, holdsOut);
        Assert.Contains("audit log holds", holdsOut, StringComparison.Ordinal);

        await using (var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite(new ExamNetWatch.Dashboard.Hosting.DataDirectory(data).ConnectionString).Options))
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE Audit SET Actor = 'someone-else' WHERE Sequence = 1");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (code, stdout, _) = await ExamNetWatchProcess.RunAsync("audit", "verify", "--data-dir", data);

        Assert.Equal(1, code);
        Assert.Contains("sequence 1 ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_NewestEntryDeletedFromTheDatabase_TheAnchorInTheDataDirectorySaysSo()
    {
        var data = Path.Combine(_dir, "anchored");
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync("users", "add", "王老师", "--role", "Admin", "--data-dir", data)).Code);
        Assert.Equal(0, (await ExamNetWatchProcess.RunAsync("users", "add", "李老师", "--role", "Viewer", "--data-dir", data)).Code);
        var (holdsCode, holdsOut, _) = await ExamNetWatchProcess.RunAsync("audit", "verify", "--data-dir", data);
        Assert.True(holdsCode == 0, holdsOut);
        Assert.Matches(@"; [1-9]\d* heads anchored outside the database checked", holdsOut);

        await using (var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite(new ExamNetWatch.Dashboard.Hosting.DataDirectory(data).ConnectionString).Options))
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM Audit WHERE Sequence = (SELECT MAX(Sequence) FROM Audit)");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (code, stdout, _) = await ExamNetWatchProcess.RunAsync("audit", "verify", "--data-dir", data);

        Assert.Equal(1, code);
        Assert.Contains("the newest 1 entries were removed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportSpecialCheck_WritesDocxOrPdf_RefusesOtherFormats()
    {
        var data = Path.Combine(_dir, "report-data");
        var docx = Path.Combine(_dir, "report.docx");
        var pdf = Path.Combine(_dir, "report.pdf");

        var (code, stdout, stderr) = await ExamNetWatchProcess.RunAsync("report", "special-check", "--from", "2026-06-01", "--to", "2026-06-30", "--out", docx, "--authority", "某市教育考试院", "--data-dir", data);
        var (pdfCode, _, _) = await ExamNetWatchProcess.RunAsync("report", "special-check", "--from", "2026-06-01", "--to", "2026-06-30", "--out", pdf, "--authority", "某市教育考试院", "--number", "某教考〔2026〕12号", "--data-dir", data);
        var (blankCode, _, blankErr) = await ExamNetWatchProcess.RunAsync("report", "special-check", "--from", "2026-06-01", "--to", "2026-06-30", "--out", Path.Combine(_dir, "blank.pdf"), "--data-dir", data);
        var (badCode, _, badErr) = await ExamNetWatchProcess.RunAsync("report", "special-check", "--from", "2026-06-01", "--to", "2026-06-30", "--out", Path.Combine(_dir, "report.txt"), "--data-dir", data);

        Assert.True(code == 0, stdout + stderr);
        using (var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(docx, false))
        {
            Assert.Contains("某市教育考试院", document.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
        }

        Assert.Equal(0, pdfCode);
        Assert.Equal("%PDF"u8.ToArray(), (await File.ReadAllBytesAsync(pdf))[..4]);
        // Without --authority and no Evidence:Unit set, the report is refused rather than printed with a placeholder.
        Assert.Equal(2, blankCode);
        Assert.Contains("报送单位", blankErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "blank.pdf")));
        Assert.Equal(2, badCode);
        Assert.Contains(".pdf or .docx", badErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
