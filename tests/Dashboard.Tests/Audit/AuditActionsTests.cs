using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Rendering;

namespace ExamNetWatch.Dashboard.Tests.Audit;

/// <summary>Every action the audit log can record is one constant, and staff read it by name in both languages, never as a code.</summary>
public sealed partial class AuditActionsTests
{
    private static readonly IReadOnlyList<string> Actions = [.. typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void EveryAction_IsDistinctAndShapedLikeAStoredCode()
    {
        Assert.True(Actions.Count >= 40, $"only {Actions.Count} actions");
        Assert.Equal(Actions.Count, Actions.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Actions, a => Assert.Matches(StoredCode(), a));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public void EveryAction_HasALabelStaffCanRead(string culture)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var unlabelled = Actions.Where(a => Labels.Action(a) == a || StoredCode().IsMatch(Labels.Action(a))).ToList();
            Assert.Empty(unlabelled);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void NoAuditWriteOutsideTheConstants_UsesALiteralAction()
    {
        // audit.Add(db, actor, "x.y", …) with a literal would be a second definition the labels do not know.
        var literal = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "dashboard"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in LiteralAuditWrite().Matches(File.ReadAllText(file)))
            {
                literal.Add($"{Path.GetFileName(file)}: {m.Value}");
            }
        }

        Assert.Empty(literal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExamNetWatch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ExamNetWatch.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[a-z]+\.[a-z-]+$")]
    private static partial Regex StoredCode();

    [GeneratedRegex(@"audit\.Add\([^;]*?""[a-z]+\.[a-z-]+""")]
    private static partial Regex LiteralAuditWrite();
}
