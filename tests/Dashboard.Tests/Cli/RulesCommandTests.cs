using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary>Rules are data: exported, edited, imported (audited), and then used by detection.</summary>
public sealed class RulesCommandTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "enw-rules-" + Guid.NewGuid().ToString("N"));
    private readonly string _rulesDir = Path.Combine(Path.GetTempPath(), "enw-rules-out-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ExportEditImport_NewTerm_IsAuditedAndUsedByDetect()
    {
        var post = Path.Combine(_rulesDir, "post.jsonl");
        Assert.Equal(0, (await Run("rules", "export", _rulesDir)).Code);
        Directory.CreateDirectory(_rulesDir);
        await File.WriteAllTextAsync(post, """{"id":"1","text":"作弊橡皮出售，加微信 xiangpi2026"}""" + "\n");
        var before = JsonDocument.Parse((await Run("detect", "--input", post)).Stdout).RootElement;
        Assert.DoesNotContain(before.GetProperty("matches").EnumerateArray(), m => m.GetProperty("term").GetString() == "作弊橡皮");

        await File.AppendAllTextAsync(Path.Combine(_rulesDir, "terms.tsv"), "device\t作弊橡皮\t0.5\n");
        var (code, stdout, stderr) = await Run("rules", "import", _rulesDir, "--by", "规则管理员", "--reason", "新型作弊器材");

        Assert.True(code == 0, stderr);
        Assert.Contains("作弊橡皮", stdout, StringComparison.Ordinal);
        var after = JsonDocument.Parse((await Run("detect", "--input", post)).Stdout).RootElement;
        Assert.Contains(after.GetProperty("matches").EnumerateArray(), m => m.GetProperty("term").GetString() == "作弊橡皮");
        Assert.True(after.GetProperty("alert").GetBoolean());
        await using var db = new WatchDbContext(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite(new DataDirectory(_dataDir).ConnectionString).Options);
        var entry = await db.Audit.SingleAsync(a => a.Action == "rules.import");
        Assert.Equal("规则管理员", entry.Actor);
        Assert.Contains("新型作弊器材", entry.Detail, StringComparison.Ordinal);
        Assert.Contains("added 作弊橡皮", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MalformedRules_RefusedNamingTheLineAndNothingChanges()
    {
        await Run("rules", "export", _rulesDir);
        await File.AppendAllTextAsync(Path.Combine(_rulesDir, "patterns.tsv"), "device\t坏规则\t0.5\t(unclosed\n");

        var (code, _, stderr) = await Run("rules", "import", _rulesDir);

        Assert.Equal(2, code);
        Assert.Contains("patterns.tsv line", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(new DataDirectory(_dataDir).LexiconPath));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in new[] { _dataDir, _rulesDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private Task<(int Code, string Stdout, string Stderr)> Run(params string[] args) => ExamNetWatchProcess.RunAsync([.. args, "--data-dir", _dataDir]);
}
