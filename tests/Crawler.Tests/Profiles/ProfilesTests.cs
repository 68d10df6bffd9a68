using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Tests.Support;

namespace ExamNetWatch.Crawler.Tests.Profiles;

/// <summary>phpBB, Tieba, Discuz! mobile and archiver, and article pages (hand-made after each software's markup).</summary>
public sealed class ProfilesTests
{
    private static AngleSharp.Html.Dom.IHtmlDocument Load(string file) => TestPages.Load(file);

    [Theory]
    [InlineData("discuz/thread-2.html", "http://bbs.talkop.com/forum.php?mod=viewthread&tid=111668", "discuz", PageKind.Thread)]
    [InlineData("discuz/forum-catalog.html", "http://bbs.talkop.com/forum.php?mod=forumdisplay&fid=47", "discuz", PageKind.Board)]
    [InlineData("handmade/discuz-mobile-thread.html", "http://bbs.test/forum.php?mod=viewthread&tid=119&mobile=2", "discuz", PageKind.Thread)]
    [InlineData("handmade/discuz-archiver-thread.html", "http://bbs.test/archiver/tid-122.html", "discuz", PageKind.Thread)]
    [InlineData("handmade/phpbb-viewforum.html", "http://forum.test/viewforum.php?f=3", "phpbb", PageKind.Board)]
    [InlineData("handmade/phpbb-viewtopic.html", "http://forum.test/viewtopic.php?t=42", "phpbb", PageKind.Thread)]
    [InlineData("handmade/tieba-board.html", "http://tieba.example/f?kw=%E4%B8%AD%E8%80%83", "tieba", PageKind.Board)]
    [InlineData("handmade/tieba-thread.html", "http://tieba.example/p/8012345678", "tieba", PageKind.Thread)]
    [InlineData("handmade/news-article.html", "http://news.test/edu/2026/0621/1.html", "article", PageKind.Thread)]
    public void Detect_Page_FindsItsProfileAndKind(string file, string url, string profile, PageKind kind)
    {
        var (found, foundKind) = ProfileRegistry.Detect(Load(file), new Uri(url));

        Assert.Equal(profile, found?.Name);
        Assert.Equal(kind, foundKind);
    }

    [Fact]
    public void PhpBb_Board_ThreadLinksWithoutSessionIdsAndReplyCounts()
    {
        var board = PhpBbProfile.Instance.ParseBoard(Load("handmade/phpbb-viewforum.html"), new Uri("http://forum.test/viewforum.php?f=3"));

        Assert.Equal(["42", "43"], board.Threads.Select(t => t.ThreadId));
        Assert.Equal("http://forum.test/viewtopic.php?t=42", board.Threads[0].Url.AbsoluteUri);
        Assert.Equal([3, 12], board.Threads.Select(t => t.Replies!.Value));
        Assert.Equal("http://forum.test/viewforum.php?f=3&start=25", board.NextPage!.AbsoluteUri);
    }

    [Fact]
    public void PhpBb_Topic_PostsWithAuthorTimeAndQuoteSeparated()
    {
        var page = PhpBbProfile.Instance.ParseThread(Load("handmade/phpbb-viewtopic.html"), new Uri("http://forum.test/viewtopic.php?t=42"));

        Assert.Equal("出售中考答案 考前发", page.Title);
        Assert.Equal(["901", "905"], page.Posts.Select(p => p.PostId));
        Assert.Equal("资料小铺", page.Posts[0].Author);
        Assert.Equal("77", page.Posts[0].AuthorId);
        Assert.Equal(new DateTimeOffset(2026, 6, 10, 2, 15, 0, TimeSpan.Zero), page.Posts[0].PostedAt);
        Assert.Equal("各科答案考前一天发，加微信 zk2026da\n先考后付", page.Posts[0].Text);
        Assert.Equal("版主小王", page.Posts[1].Author);
        Assert.Equal("已举报，大家别信，都是骗子。", page.Posts[1].Text);
        Assert.Equal("http://forum.test/viewtopic.php?t=42&start=2", page.NextPage!.AbsoluteUri);
    }

    [Fact]
    public void Tieba_Board_ThreadLinksRepliesAndNextPage()
    {
        var board = TiebaProfile.Instance.ParseBoard(Load("handmade/tieba-board.html"), new Uri("http://tieba.example/f?kw=%E4%B8%AD%E8%80%83"));

        Assert.Equal(["8012345678", "8012345679"], board.Threads.Select(t => t.ThreadId));
        Assert.Equal("http://tieba.example/p/8012345679", board.Threads[1].Url.AbsoluteUri);
        Assert.Equal([5, 0], board.Threads.Select(t => t.Replies!.Value));
        Assert.Contains("pn=50", board.NextPage!.Query, StringComparison.Ordinal);
    }

    [Fact]
    public void Tieba_Thread_PostsFromDataFieldWithFloorAuthorAndTime()
    {
        var page = TiebaProfile.Instance.ParseThread(Load("handmade/tieba-thread.html"), new Uri("http://tieba.example/p/8012345678"));

        Assert.Equal("8012345678", page.ThreadId);
        Assert.Equal("中考英语答案，考中发送", page.Title);
        var first = page.Posts[0];
        Assert.Equal(("140001", 1, "速发答案"), (first.PostId, first.Floor!.Value, first.Author!));
        Assert.Equal("1", first.AuthorId);
        Assert.Null(page.Posts[1].AuthorId);
        Assert.Equal(new DateTimeOffset(2026, 6, 20, 8, 5, 0, TimeSpan.FromHours(8)), first.PostedAt);
        Assert.Contains("yydaan2026", first.Text, StringComparison.Ordinal);
        Assert.Equal("http://tieba.example/p/8012345678?pn=2", page.NextPage!.AbsoluteUri);
    }

    [Fact]
    public void DiscuzMobile_Thread_PostsWithFloorAuthorTimeAndQuoteSeparated()
    {
        var page = DiscuzProfile.Instance.ParseThread(Load("handmade/discuz-mobile-thread.html"), new Uri("http://bbs.test/forum.php?mod=viewthread&tid=119&mobile=2"));

        Assert.Equal(["1042", "1051"], page.Posts.Select(p => p.PostId));
        Assert.Equal((1, "考试助手"), (page.Posts[0].Floor!.Value, page.Posts[0].Author!));
        Assert.Equal("5", page.Posts[0].AuthorId);
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 21, 40, 0, TimeSpan.FromHours(8)), page.Posts[0].PostedAt);
        Assert.Equal("骗子，已举报", page.Posts[1].Text);
        Assert.Equal(2, page.Posts[1].Floor);
        Assert.NotNull(page.NextPage);
    }

    [Fact]
    public void DiscuzArchiver_Thread_OnePostPerAuthorLine()
    {
        var page = DiscuzProfile.Instance.ParseThread(Load("handmade/discuz-archiver-thread.html"), new Uri("http://bbs.test/archiver/tid-122.html"));

        Assert.Equal("122", page.ThreadId);
        Assert.Equal(["f1", "f2"], page.Posts.Select(p => p.PostId));
        Assert.Equal("内部消息", page.Posts[0].Author);
        Assert.Equal("考前答案、短信答案，有需要的进群，QQ群 56789123", page.Posts[0].Text);
        Assert.Equal("别信", page.Posts[1].Text);
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 20, 30, 0, TimeSpan.FromHours(8)), page.Posts[1].PostedAt);
    }

    [Fact]
    public void Article_NewsPage_TitleBodyTimeAndAuthorWithoutNavigation()
    {
        var url = new Uri("http://news.test/edu/2026/0621/1.html");

        var page = ArticleProfile.Instance.ParseThread(Load("handmade/news-article.html"), url);

        var post = Assert.Single(page.Posts);
        Assert.Equal("警方破获一起中考作弊案", page.Title);
        Assert.StartsWith("据报道，警方近日抓获", post.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("首页", post.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("相关阅读", post.Text, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 6, 21, 9, 30, 0, TimeSpan.FromHours(8)), post.PostedAt);
        Assert.Equal("记者 张三", post.Author);
        Assert.Equal(ArticleProfile.Instance.ThreadIdOf(url), page.ThreadId);
    }

    [Fact]
    public void Named_UnknownProfile_IsRefusedListingTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => ProfileRegistry.Named("vbulletin"));

        Assert.Contains("phpbb", error.Message, StringComparison.Ordinal);
    }
}
