using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

/// <summary>
/// What the severity tells an analyst: critical only for a concrete offer (a contact or a payment) close to or during
/// an exam of the calendar; a leak rumour is a watch item below the alerts.
/// </summary>
public sealed class SeverityCalibrationTests
{
    private const string ConcreteOffer = "出四级答案 考前一小时发 一科三百 先付一半 扣扣 2873341190";
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());
    private static readonly DetectionContext ExamNextWeek = new([], ["2026年中考 数学"]);

    [Fact]
    public void Detect_ConcreteOfferWithAnExamComing_IsCritical_AndSaysWhy()
    {
        var result = Detector.Detect(null, ConcreteOffer, ExamNextWeek);

        Assert.Equal(Severity.Critical, result.Severity);
        Assert.Contains(result.Explanations, e => e.Rule == "severity" && e.Detail.Contains("2026年中考 数学", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_SameOfferWithNoExamInTheCalendar_IsHighNotCritical()
    {
        Assert.Equal(Severity.High, Detector.Detect(null, ConcreteOffer).Severity);
    }

    [Fact]
    public void Detect_OfferWithoutContactOrPayment_IsNeverCritical()
    {
        var result = Detector.Detect(null, "有没有四六级答案 考前发的那种", ExamNextWeek);

        Assert.True(result.IsAlert, $"{result.Severity} {result.Score}");
        Assert.True(result.Severity < Severity.Critical, $"{result.Severity}");
    }

    [Theory]
    [InlineData("网传今年中考数学卷子泄露了？有人知道是真的吗")]
    [InlineData("听说昨晚四级答案就流出来了 群里都在传 你们信吗")]
    public void Detect_LeakRumour_IsAWatchItemNotAnAlert(string text)
    {
        var result = Detector.Detect(null, text);

        Assert.False(result.IsAlert, $"{result.Severity} {result.Score}");
        Assert.Equal(Severity.Low, result.Severity);
        Assert.Equal(Category.LeakRumour, result.Categories[0]);
    }

    [Fact]
    public void Detect_OfficialDenialOfARumour_IsNothing()
    {
        var result = Detector.Detect(null, "针对网传中考数学试题泄露一事，市教育考试院连夜核查，未发现泄题，网传信息系谣言，请广大考生不信谣不传谣。");

        Assert.Equal(Severity.None, result.Severity);
    }
}
