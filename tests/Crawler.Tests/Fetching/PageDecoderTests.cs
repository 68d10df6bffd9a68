using System.Text;
using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Tests.Fetching;

public sealed class PageDecoderTests
{
    static PageDecoderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Decode_RealGbkTiebaPageDeclaredOnlyInMeta_DecodesChinese()
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Pages", "tieba", "furank-minecraft-20150511.html"));

        var html = PageDecoder.Decode(bytes, headerCharset: null);

        Assert.Contains("本吧牛人排行榜_minecraft吧_百度贴吧", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', html);
    }

    [Fact]
    public void Decode_HeaderCharsetDisagreesWithMeta_HeaderWins()
    {
        var bytes = Encoding.GetEncoding("GB18030").GetBytes("<meta charset=\"utf-8\"><p>中考答案</p>");

        Assert.Contains("中考答案", PageDecoder.Decode(bytes, "gb2312"), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Big5DeclaredInMeta_DecodesTraditionalChinese()
    {
        var bytes = Encoding.GetEncoding("big5").GetBytes("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=big5\"></head><body>考試答案</body></html>");

        Assert.Contains("考試答案", PageDecoder.Decode(bytes, null), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Utf8WithBomAndNoDeclaration_DropsTheBom()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("隐形耳机")).ToArray();

        Assert.Equal("隐形耳机", PageDecoder.Decode(bytes, null));
    }

    [Fact]
    public void Decode_GbkPageWithNoDeclarationAtAll_IsDetected()
    {
        var bytes = Encoding.GetEncoding("GBK").GetBytes("<html><body><p>出售中考答案，考前一天发到手机，有需要的加微信私聊。隐形耳机米粒耳机批发零售，全国包邮，诚信第一。</p><p>本吧牛人排行榜</p></body></html>");

        var html = PageDecoder.Decode(bytes, headerCharset: null);

        Assert.Contains("出售中考答案", html, StringComparison.Ordinal);
        Assert.Contains("隐形耳机", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Utf8WithNoDeclaration_StaysUtf8() =>
        Assert.Equal("<p>考试答案</p>", PageDecoder.Decode(Encoding.UTF8.GetBytes("<p>考试答案</p>"), null));
}
