using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

public sealed class ContactExtractorTests
{
    [Theory]
    [InlineData("QQ 2873341190", "qq", "2873341190")]
    [InlineData("ＱＱ：２８７３３４１１９０", "qq", "2873341190")]
    [InlineData("扣扣号 12345678", "qq", "12345678")]
    [InlineData("QQ群 56789123 有需要的进", "qq_group", "56789123")]
    [InlineData("加微信 zk2026da 私聊", "wechat", "zk2026da")]
    [InlineData("加薇 ks_helper88", "wechat", "ks_helper88")]
    [InlineData("V: dkvip2026", "wechat", "dkvip2026")]
    [InlineData("vx：mijuan2026", "wechat", "mijuan2026")]
    [InlineData("威信 13912345678", "wechat", "13912345678")]
    [InlineData("电话 13912345678", "phone", "13912345678")]
    [InlineData("报名电话 0791-86001234", "phone", "0791-86001234")]
    [InlineData("详见 https://example.cn/a?b=1 。", "url", "https://example.cn/a?b=1")]
    public void Extract_ContactWrittenThisWay_IsFound(string text, string kind, string value)
    {
        var normalised = TextNormaliser.Normalise(text);

        var contacts = ContactExtractor.Extract(normalised.Value, text);

        Assert.Contains(new ContactInfo(kind, value), contacts);
    }

    [Theory]
    [InlineData("今年考了 2026 分之一的概率")]
    [InlineData("第12题选什么")]
    [InlineData("review the chapter")]
    public void Extract_NoContact_FindsNothing(string text) =>
        Assert.Empty(ContactExtractor.Extract(TextNormaliser.Normalise(text).Value, text));

    [Fact]
    public void Extract_QqGroupNumber_IsNotAlsoReportedAsAQqNumber()
    {
        var contacts = ContactExtractor.Extract(TextNormaliser.Normalise("QQ群 56789123").Value, "QQ群 56789123");

        Assert.Equal([new ContactInfo("qq_group", "56789123")], contacts);
    }
}
