using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

public sealed class PostDetectorTests
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());

    [Theory]
    [InlineData("作*弊*器 出售，加薇 ks_helper88")]
    [InlineData("出售2026年中考各科答案，考前一天发到手机，保过！有需要的加微信 zk2026da 私聊。")]
    [InlineData("隐 形 耳 机、米粒耳机 大量现货，防屏蔽，批发零售，QQ 2873341190")]
    [InlineData("专业代考、替考，各科都有枪手，价格私聊，V: dkvip2026")]
    [InlineData("中考答案 出售，ＱＱ２８７３３４１１９１ 私聊")]
    public void Detect_OfferOfAnswersDevicesOrProxies_RaisesAnAlert(string text)
    {
        var result = Detector.Detect(null, text);

        Assert.True(result.IsAlert, $"{result.Severity} {result.Score}: {string.Join("; ", result.Explanations)}");
        Assert.NotEmpty(result.Categories);
        Assert.NotEmpty(result.Contacts);
    }

    [Theory]
    [InlineData("考试期间严禁携带手机、耳机等电子设备及作弊器材进入考场，一经发现按违规处理，情节严重的依法追究法律责任。")]
    [InlineData("每年都有人在群里说考前能提供中考答案，收了钱就拉黑，大家不要相信，都是骗子。")]
    [InlineData("据报道，警方抓获一个利用隐形耳机组织考试作弊的团伙，查处作弊设备一批。")]
    [InlineData("练习册第35页第6题，答案给的是0.6N，我算出来是0.8N。")]
    [InlineData("宿舍太吵了，想买个降噪耳机，预算500以内，大家有推荐的吗？")]
    [InlineData("出《五年中考三年模拟》数学、物理各一本，有需要的加微信 shuchong_2009")]
    [InlineData("考完想对一下中考答案估分，一般是什么时候出来？")]
    // What a parents' group says the evening before: an exam and a time, nothing offered or asked for.
    [InlineData("明天上午九点考语文")]
    [InlineData("后天上午考数学，孩子们早点睡")]
    public void Detect_NoticeNewsWarningOrOrdinaryPost_RaisesNoAlert(string text)
    {
        var result = Detector.Detect(null, text);

        Assert.False(result.IsAlert, $"{result.Severity} {result.Score}: {string.Join("; ", result.Explanations)}");
    }

    [Fact]
    public void Detect_TermSplitBySpaces_ReportsTheExactOriginalSlice()
    {
        const string text = "出售 隐 形 耳 机，QQ 2873341190";

        var match = Assert.Single(Detector.Detect(null, text).Matches);

        Assert.Equal("text", match.Field);
        Assert.Equal("隐 形 耳 机", match.Text);
        Assert.Equal(match.Text, text[match.Start..match.End]);
        Assert.Equal("隐形耳机", match.Term);
        Assert.Equal(Category.Device, match.Category);
    }

    [Fact]
    public void Detect_TermInTheTitle_IsReportedAgainstTheTitle()
    {
        const string title = "橡皮接收器现货";

        var result = Detector.Detect(title, "货到付款，电话 13912345678");

        var match = Assert.Single(result.Matches);
        Assert.Equal("title", match.Field);
        Assert.Equal("橡皮接收器", title[match.Start..match.End]);
        Assert.True(result.IsAlert);
    }

    [Fact]
    public void Detect_TermInsideALongerTerm_IsReportedOnce()
    {
        var result = Detector.Detect(null, "橡皮接收器");

        Assert.Equal(["橡皮接收器"], result.Matches.Select(m => m.Term));
    }

    [Fact]
    public void Detect_Offer_ExplainsWhichRulesFired()
    {
        var result = Detector.Detect(null, "作弊器出售，加微信 zk2026da");

        Assert.Contains(result.Explanations, e => e.Rule == "term" && e.Detail.Contains("作弊器", StringComparison.Ordinal));
        Assert.Contains(result.Explanations, e => e.Rule == "intent" && e.Detail.Contains("出售", StringComparison.Ordinal));
        Assert.Contains(result.Explanations, e => e.Rule == "contact" && e.Detail.Contains("zk2026da", StringComparison.Ordinal));
    }

    [Fact]
    public void Detect_ContactWithoutAnyExamTerm_IsNoAlert()
    {
        var result = Detector.Detect(null, "出售二手自行车，加微信 bike_2026");

        Assert.Equal(Severity.None, result.Severity);
        Assert.Contains(new ContactInfo("wechat", "bike_2026"), result.Contacts);
    }
}
