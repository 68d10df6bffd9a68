using System.Globalization;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Rendering;

namespace ExamNetWatch.Dashboard.Tests.Localization;

/// <summary>The English UI is complete: every Chinese text of every page goes through the table, and the table covers it.</summary>
public sealed partial class UiTextTests
{
    private static readonly string Dashboard = Path.Combine(RepositoryRoot(), "dashboard");

    [Fact]
    public void Views_NoChineseTextOutsideTheTranslationTable()
    {
        var untranslated = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Dashboard, "Pages"), "*.cshtml", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                // The switch names the other language in that language ("中文" on the English UI).
                if (lines[i].Contains("id=\"language-switch\"", StringComparison.Ordinal))
                {
                    continue;
                }

                if (Han().IsMatch(Key().Replace(lines[i], "T[")))
                {
                    untranslated.Add($"{Path.GetRelativePath(Dashboard, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(untranslated.Count == 0, string.Join('\n', untranslated));
    }

    [Fact]
    public void EveryKey_InViewsAndCode_HasAnEnglishEntryWithTheSamePlaceholders()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Dashboard, "*.cshtml", SearchOption.AllDirectories))
        {
            keys.UnionWith(Key().Matches(File.ReadAllText(file)).Select(m => Unescape(m.Groups[1].Value)));
        }

        foreach (var file in Directory.EnumerateFiles(Dashboard, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            keys.UnionWith(CodeKey().Matches(File.ReadAllText(file)).Select(m => Unescape(m.Groups[1].Value)));
        }

        var missing = keys.Where(k => Han().IsMatch(k) && !UiText.English.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var placeholders = keys.Where(k => UiText.English.TryGetValue(k, out var en) && !Placeholders(k).SetEquals(Placeholders(en))).ToList();

        Assert.True(keys.Count > 300, $"only {keys.Count} keys found: the scan is broken");
        Assert.True(missing.Count == 0, "no English for:\n" + string.Join('\n', missing));
        Assert.True(placeholders.Count == 0, "placeholders differ:\n" + string.Join('\n', placeholders));
    }

    [Fact]
    public void Labels_UnderTheEnglishUi_HaveNoChinese()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        try
        {
            string[] labels =
            [
                .. Enumerable.Range(0, 5).Select(Labels.Severity),
                .. ExamNetWatch.Dashboard.Data.AlertStatus.All.Select(Labels.Status),
                .. ExamNetWatch.Dashboard.Data.CloseReason.All.Select(Labels.CloseReason),
                .. ExamNetWatch.Indexer.Detection.Category.TermFamilies.Select(Labels.Category),
                .. new[] { "term", "intent", "urgency", "contact_hint", "negative" }.Select(Labels.Rule),
                .. new[] { "alert.take", "alert.close", "source.run-now", "rules.import", "exam.add", "settings.notifications" }.Select(Labels.Action),
                .. new[] { "active", "expired", "disabled" }.Select(Labels.SourceStatus),
            ];

            Assert.All(labels, l => Assert.False(Han().IsMatch(l), l));
            Assert.Equal("Critical", Labels.Severity(4));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    [Fact]
    public void Format_English_SaysOneAndMany()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("en");
        try
        {
            Assert.Equal("(1 more alert)", UiText.Format("（另有 {0} 条告警）", 1));
            Assert.Equal("(3 more alerts)", UiText.Format("（另有 {0} 条告警）", 3));
            Assert.Equal("5 alerts changed; 1 was left unchanged because its state does not allow this action.", UiText.Format("已处理 {0} 条告警；{1} 条的状态不允许此操作，未改动。", 5, 1));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        Assert.Equal("（另有 1 条告警）", UiText.Format("（另有 {0} 条告警）", 1));
    }

    [Fact]
    public void Get_MachineLocaleEnUs_StaysChinese()
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("en-US");
        try
        {
            // Only the dashboard's switch (the neutral "en") turns English on: jobs and notifications stay in Chinese.
            Assert.Equal("严重", Labels.Severity(4));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    private static string Unescape(string key) => key.Replace("\\\"", "\"", StringComparison.Ordinal);

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

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"T\[""((?:[^""\\]|\\.)*)""")]
    private static partial Regex Key();

    [GeneratedRegex(@"(?:UiText\.(?:Get|Format)|StaffText)\(""((?:[^""\\]|\\.)*)""")]
    private static partial Regex CodeKey();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
