using ExamNetWatch.Crawler.Sources;

namespace ExamNetWatch.Crawler.Tests.Sources;

public sealed class CrawlScopeTests
{
    private readonly CrawlScope _scope = CrawlScope.Parse(["http://bbs.example.cn/forum.php"]);

    [Theory]
    [InlineData("http://bbs.example.cn/forum.php?mod=viewthread&tid=1", true)]
    [InlineData("http://BBS.example.cn/forum.php?mod=forumdisplay&fid=2", true)]
    [InlineData("http://bbs.example.cn/home.php?mod=space", false)]
    [InlineData("https://bbs.example.cn/forum.php", false)]
    [InlineData("http://bbs.example.cn:8080/forum.php", false)]
    [InlineData("http://evil.example.cn/forum.php", false)]
    [InlineData("http://bbs.example.cn.evil.com/forum.php", false)]
    public void Allows_Url_OnlyInsideTheAuthorisedPrefix(string url, bool expected) =>
        Assert.Equal(expected, _scope.Allows(new Uri(url)));

    [Fact]
    public void Constructor_NoPrefix_Refused() =>
        Assert.Throws<ArgumentException>(() => new CrawlScope([]));
}
