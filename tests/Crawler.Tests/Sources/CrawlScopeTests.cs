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

    [Theory]
    [InlineData("http://bbs.example.cn/bbs/forum.php?mod=viewthread&tid=1", true)]
    [InlineData("http://bbs.example.cn/bbs/%E4%B8%AD%E8%80%83/1.html", true)]
    [InlineData("http://bbs.example.cn/bbs/a%20b.html", true)]
    [InlineData("http://bbs.example.cn/bbs/../admin/", false)]
    [InlineData("http://bbs.example.cn/bbs/..%2fadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/..%2Fadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/%2e%2e/admin/", false)]
    [InlineData("http://bbs.example.cn/bbs/%2E%2E%2Fadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/.%2e/admin/", false)]
    [InlineData("http://bbs.example.cn/bbs/..%5cadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/..%5Cadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/%252e%252e/admin/", false)]
    [InlineData("http://bbs.example.cn/bbs/%252e%252e%252fadmin/", false)]
    [InlineData("http://bbs.example.cn/bbs/%2fadmin", false)]
    [InlineData("http://bbs.example.cn/bbs/%00.html", false)]
    [InlineData("http://bbs.example.cn/bbsx/forum.php", false)]
    public void Allows_EncodedDotSegmentsAndSlashes_NeverLeaveTheFolder(string url, bool expected) =>
        Assert.Equal(expected, CrawlScope.Parse(["http://bbs.example.cn/bbs/"]).Allows(new Uri(url)));

    [Fact]
    public void Constructor_NoPrefix_Refused() =>
        Assert.Throws<ArgumentException>(() => new CrawlScope([]));
}
