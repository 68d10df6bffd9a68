using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Text;

namespace ExamNetWatch.Indexer.Tests.Detection;

/// <summary>Every evasion class of the domain brief, each seen through, and the look-alikes that must not be.</summary>
public sealed class EvasionTests
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());

    [Theory]
    [InlineData("inserted symbols", "作*弊*器 出售，加薇 ks_helper88", "作*弊*器", "作弊器")]
    [InlineData("spaces between characters", "出售 隐 形 耳 机，QQ 2873341190", "隐 形 耳 机", "隐形耳机")]
    [InlineData("zero-width characters", "作\u200B弊\u200D器 出售 vx: zwsp2026", "作\u200B弊\u200D器", "作弊器")]
    [InlineData("full width and case", "出售ＺＫ中考答案，ＱＱ２８７３３４１１９０", "中考答案", "中考答案")]
    [InlineData("repeated characters", "作作作弊弊器 出售 加薇 repeat88", "作作作弊弊器", "作弊器")]
    [InlineData("traditional characters", "出售考試答案，隱形耳機，加微信 abc123x", "隱形耳機", "隐形耳机")]
    [InlineData("homophones", "作币器 出售 威信 zb2026xx", "作币器", "作弊器")]
    [InlineData("pinyin", "出售 zuobiqi，加v zbq2026", "zuobiqi", "作弊器")]
    [InlineData("pinyin with spaces", "zhong kao da an chu shou, wx: zkda2026", "zhong kao da an", "中考答案")]
    [InlineData("initials mixed with characters", "zb器 出售，加q 12345678", "zb器", "作弊器")]
    [InlineData("split characters", "亻乍敝廾器 出售 vx: split2026", "亻乍敝廾器", "作弊器")]
    [InlineData("look-alike characters", "中考荅案 出售 qq 1234567", "中考荅案", "中考答案")]
    [InlineData("emoji", "隐形🎧 出售 ➕v emoji2026", "隐形🎧", "隐形耳机")]
    public void Detect_EvasionClass_IsSeenThroughAndReportedOnTheOriginalText(string evasion, string text, string slice, string term)
    {
        var result = Detector.Detect(null, text);

        Assert.True(result.IsAlert, $"{evasion}: {result.Severity} {result.Score}");
        var match = Assert.Single(result.Matches, m => m.Term == term);
        Assert.Equal(slice, match.Text);
        Assert.Equal(slice, text[match.Start..match.End]);
    }

    [Theory]
    [InlineData("一三九一二三四五六七八", "13912345678")]
    [InlineData("壹叁玖壹贰叁肆伍陆柒捌", "13912345678")]
    [InlineData("幺五八零零零零幺幺幺幺", "15800001111")]
    public void Detect_PhoneInChineseNumerals_IsFound(string written, string digits)
    {
        var result = Detector.Detect(null, "中考答案出售，电话 " + written);

        Assert.Contains(new ContactInfo("phone", digits), result.Contacts);
    }

    [Theory]
    [InlineData("体育中考体考项目有哪些？跳绳和实心球")] // 体考 sounds like 替考
    [InlineData("快递包裹今天到了，书包也到了")] // 包裹 sounds like 包过
    [InlineData("I love my new headphones, and the Sudan news")]
    [InlineData("我的微信号是 zbq2026，加我一起背单词")] // initials of 作弊器 inside an id
    [InlineData("人口十万的小县城，考试院发布考試須知，嚴禁攜帶作弊器材")] // traditional notice
    [InlineData("一二三四五，上山打老虎")]
    public void Detect_LookAlikeOfAnEvasion_RaisesNoAlert(string text)
    {
        var result = Detector.Detect(null, text);

        Assert.False(result.IsAlert, $"{result.Severity} {result.Score}: {string.Join("; ", result.Explanations)}");
    }

    [Fact]
    public void Detect_Evasion_IsNamedInTheExplanation()
    {
        var result = Detector.Detect(null, "出售 zuobiqi，加v zbq2026");

        Assert.Contains(result.Explanations, e => e.Rule == "evasion" && e.Detail.Contains("zuobiqi", StringComparison.Ordinal) && e.Detail.Contains("作弊器", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_SeekingADevice_IsAnAlert()
    {
        var result = Detector.Detect(null, "隐形耳机哪里有？急");

        Assert.True(result.IsAlert, $"{result.Severity} {result.Score}");
    }

    [Fact]
    public void Detect_QuestionNumberDuringThatSubjectsPaper_RisesToHigh()
    {
        const string text = "数学第12题选什么？";
        var outside = Detector.Detect(null, text);

        var during = Detector.Detect(null, text, new DetectionContext(["数学"]));

        Assert.Contains(outside.Matches, m => m.Category == Category.InExamTransmission);
        Assert.True(during.Severity >= Severity.High, $"{during.Severity} {during.Score}");
        Assert.True(during.Score > outside.Score, $"{during.Score} vs {outside.Score}");
        Assert.Contains(during.Explanations, e => e.Rule == "exam_open");
    }

    [Fact]
    public void Detect_AskingForAnswersOfTheOpenPaper_IsAnAlert()
    {
        var result = Detector.Detect(null, "谁有数学答案，急", new DetectionContext(["数学"]));

        Assert.True(result.IsAlert, $"{result.Severity} {result.Score}");
        Assert.Contains(Category.InExamTransmission, result.Categories);
    }

    [Fact]
    public void Icu_OnThisMachine_ConvertsTraditionalAndGivesPinyin()
    {
        Assert.True(IcuTransliterator.IsAvailable);
        Assert.Equal("考试答案", IcuTransliterator.TraditionalToSimplified.Transliterate("考試答案"));
        Assert.Equal("zuo bi qi", IcuTransliterator.HanToPinyin.Transliterate("作弊器"));
    }
}
