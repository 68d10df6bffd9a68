using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Rendering;

namespace ExamNetWatch.Dashboard.Tests.Rendering;

/// <summary>What staff read for stored codes: crawl schedules in words, profiles by name, periods by the days they cover.</summary>
public sealed class LabelsTests
{
    [Theory]
    [InlineData("0 */15 * * * *", "每 15 分钟")]
    [InlineData("*/15 * * * *", "每 15 分钟")]
    [InlineData("0 * * * * *", "每分钟")]
    [InlineData("*/30 * * * * *", "每 30 秒")]
    [InlineData("0 0 * * * *", "每小时")]
    [InlineData("0 0 */2 * * *", "每 2 小时")]
    [InlineData("0 30 8 * * *", "每天 08:30")]
    [InlineData("15 3 * * *", "每天 03:15")]
    [InlineData("0 0 9 * * 1-5", "自定义：0 0 9 * * 1-5")]
    public void Schedule_CommonCron_IsSaidInWords_AnyOtherIsShownAsIs(string cron, string expected) =>
        Assert.Equal(expected, Labels.Schedule(cron));

    [Fact]
    public void SchedulePresets_AreEachSaidInWords() =>
        Assert.All(Labels.SchedulePresets, cron => Assert.DoesNotContain("自定义", Labels.Schedule(cron), StringComparison.Ordinal));

    [Theory]
    [InlineData("auto", "自动识别")]
    [InlineData("discuz", "Discuz! 论坛")]
    [InlineData("tieba", "贴吧类")]
    public void Profile_IsNamedForStaff(string profile, string expected) => Assert.Equal(expected, Labels.Profile(profile));

    [Fact]
    public void Until_ADateAlone_CoversThatWholeBeijingDay()
    {
        var until = BeijingTime.ParseUntilUtc("2026-12-31");

        Assert.Equal(new DateTime(2026, 12, 31, 16, 0, 0, DateTimeKind.Utc), until);
        Assert.True(until > BeijingTime.ParseUtc("2026-12-31 23:59"));
        Assert.Equal("2026-12-31", BeijingTime.FormatUntil(until));
        Assert.Equal(new DateTime(2026, 12, 31, 10, 0, 0, DateTimeKind.Utc), BeijingTime.ParseUntilUtc("2026-12-31 18:00"));
        Assert.Equal("2026-12-31 18:00:00", BeijingTime.FormatUntil(BeijingTime.ParseUntilUtc("2026-12-31 18:00")));
        Assert.Equal("2026-12-01", BeijingTime.FormatFrom(BeijingTime.ParseUtc("2026-12-01")));
        Assert.Throws<FormatException>(() => BeijingTime.ParseUntilUtc("31/12/2026"));
    }

    [Theory]
    [InlineData("alert.take", "负责人 无 → demo；new → acknowledged", "负责人 无 → demo；新告警 → 处理中")]
    [InlineData("alert.close", "escalated → closed（true_positive）", "已移交公安 → 已关闭（属实）")]
    [InlineData("alert.raise", "critical 0.91 post s1-t117-p1040", "严重 0.91 · s1-t117-p1040")]
    [InlineData("source.edit", "entry http://x/ scope http://x/", "entry http://x/ scope http://x/")]
    [InlineData("source.register", "entry http://x/; scope http://x/; profile auto; schedule 0 */15 * * * *", "入口 http://x/；范围 http://x/；论坛类型 自动识别；抓取计划 每 15 分钟")]
    [InlineData("source.update", "profile: auto → discuz; exam-critical: False → True; min-delay: 2 → 5", "论坛类型：自动识别 → Discuz! 论坛；考试期间重点监测：否 → 是；最小间隔（秒）：2 → 5")]
    [InlineData("source.register", "qq-group 987654321; exported by 王老师", "QQ群 987654321；导出人 王老师")]
    [InlineData("authorisation.register", "赣考院〔2026〕3号，江西省教育考试院，2026-11-30 16:00:00Z – 2026-12-31 16:00:00Z", "赣考院〔2026〕3号，江西省教育考试院，2026-12-01 至 2026-12-31")]
    public void AuditDetail_NamesTheCodesItWasWrittenWith(string action, string detail, string expected) =>
        Assert.Equal(expected, Labels.AuditDetail(action, detail));

    [Theory]
    [InlineData("term", "device: 作弊器", "作弊器材：作弊器")]
    [InlineData("contact_hint", "wechat:onescr2x、qq:12345678", "微信 onescr2x、QQ 12345678")]
    [InlineData("model", "device 0.49：k:device +1.15", "device 0.49：k:device +1.15")]
    public void ExplanationDetail_NamesCategoriesAndContactKinds(string rule, string detail, string expected) =>
        Assert.Equal(expected, Labels.ExplanationDetail(rule, detail));

    [Fact]
    public void MatchedTerms_QuoteThePostsOwnWriting_TheLexiconTermAfterIt()
    {
        ExamNetWatch.Indexer.Detection.TermMatch[] matches =
        [
            new("text", 0, 5, "作*弊*器", "作弊器", "device"),
            new("text", 9, 12, "中考答案", "中考答案", "paper_leak"),
            new("title", 0, 5, "作*弊*器", "作弊器", "device"),
        ];

        Assert.Equal("作*弊*器（作弊器）、中考答案", ExamNetWatch.Dashboard.Ingestion.PostIngestor.MatchedTermsOf(matches));
    }
}
