using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Tests.Support;

namespace ExamNetWatch.Crawler.Tests.Profiles;

public sealed class DiscuzProfileTests
{
    private static readonly Uri ThreadUrl = new("http://bbs.talkop.com/forum.php?mod=viewthread&tid=111668&extra=page%3D1");

    private static AngleSharp.Html.Dom.IHtmlDocument Load(string file) => TestPages.Load(file);

    [Fact]
    public void ParseThread_RealDiscuzX34Page_ReadsEveryPostWithAuthorFloorAndTime()
    {
        var page = DiscuzProfile.Instance.ParseThread(Load("discuz/thread-2.html"), ThreadUrl);

        Assert.Equal("111668", page.ThreadId);
        Assert.StartsWith("【TalkOP汉化】海贼王资料集生命卡", page.Title, StringComparison.Ordinal);
        Assert.Equal(10, page.Posts.Count);
        var first = page.Posts[0];
        Assert.Equal("664113", first.PostId);
        Assert.Equal("鹰目", first.Author);
        Assert.Matches(@"^\d+$", first.AuthorId);
        Assert.Equal(1, first.Floor);
        Assert.Equal(new DateTimeOffset(2019, 2, 20, 22, 50, 0, TimeSpan.FromHours(8)), first.PostedAt);
        Assert.Equal(page.Posts.Select(p => p.PostId).Distinct().Count(), page.Posts.Count);
        Assert.All(page.Posts, p => Assert.NotNull(p.Floor));
        Assert.Equal([1, 2, 3, 4], page.Posts.Take(4).Select(p => p.Floor!.Value));
    }

    [Fact]
    public void ParseThread_RealDiscuzX34Page_FindsTheNextPage()
    {
        var page = DiscuzProfile.Instance.ParseThread(Load("discuz/thread-2.html"), ThreadUrl);

        Assert.NotNull(page.NextPage);
        Assert.Contains("tid=111668", page.NextPage!.Query, StringComparison.Ordinal);
        Assert.Contains("page=2", page.NextPage.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseBoard_RealDiscuzCatalogue_FindsThreadLinksOnce()
    {
        var board = DiscuzProfile.Instance.ParseBoard(Load("discuz/forum-catalog.html"), new Uri("http://bbs.talkop.com/forum.php?mod=forumdisplay&fid=47"));

        Assert.NotEmpty(board.Threads);
        Assert.Contains(board.Threads, t => t.ThreadId == "109548");
        Assert.Equal(board.Threads.Count, board.Threads.Select(t => t.ThreadId).Distinct().Count());
        Assert.All(board.Threads, t => Assert.False(string.IsNullOrWhiteSpace(t.Title)));
    }

    [Fact]
    public void ParseThread_PostQuotingAnother_KeepsOnlyThePostersOwnText()
    {
        const string html = """
            <html><body><span id="thread_subject">求助</span>
            <div id="post_7"><div class="authi"><a class="xw1">小明</a></div>
            <a id="postnum7"><em>5</em>#</a><em id="authorposton7">发表于 2026-5-1 9:05</em>
            <table><tr><td class="t_f" id="postmessage_7"><div class="quote"><blockquote>原帖：出售答案 QQ 123456</blockquote></div>这是骗子吧<br />大家别信</td></tr></table></div>
            </body></html>
            """;

        var page = DiscuzProfile.Instance.ParseThread(new HtmlParser().ParseDocument(html), new Uri("http://forum.test/thread-9-1-1.html"));

        var post = Assert.Single(page.Posts);
        Assert.Equal("这是骗子吧\n大家别信", post.Text);
        Assert.Equal(5, post.Floor);
        Assert.Equal("9", page.ThreadId);
        Assert.Contains("出售答案", post.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseThread_PageWithoutPostBodies_ThrowsFormatExceptionNamingTheUrl()
    {
        var error = Assert.Throws<FormatException>(() =>
            DiscuzProfile.Instance.ParseThread(new HtmlParser().ParseDocument("<html><body>维护中</body></html>"), new Uri("http://forum.test/forum.php?mod=viewthread&tid=3")));

        Assert.Contains("tid=3", error.Message, StringComparison.Ordinal);
    }
}
