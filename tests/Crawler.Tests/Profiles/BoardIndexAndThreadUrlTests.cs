using AngleSharp.Html.Parser;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Tests.Support;

namespace ExamNetWatch.Crawler.Tests.Profiles;

/// <summary>
/// Board indexes (phpBB index.php, the Discuz! home page, a Tieba directory) lead to boards and are not read as posts;
/// links follow the page's &lt;base href&gt;; a thread has one address whichever of its pages is given.
/// </summary>
public sealed class BoardIndexAndThreadUrlTests
{
    private static AngleSharp.Html.Dom.IHtmlDocument Load(string file) => TestPages.Load(file);

    [Theory]
    [InlineData("handmade/phpbb-index.html", "http://forum.test/index.php", "phpbb")]
    [InlineData("handmade/discuz-index.html", "http://bbs.test/forum.php", "discuz")]
    [InlineData("handmade/tieba-forumpark.html", "http://tieba.example/f/index/forumpark?cn=%E8%80%83%E8%AF%95", "tieba")]
    public void Detect_BoardIndex_IsABoardOfItsProfile_NotAnArticle(string file, string url, string profile)
    {
        var (found, kind) = ProfileRegistry.Detect(Load(file), new Uri(url));

        Assert.Equal(profile, found?.Name);
        Assert.Equal(PageKind.Board, kind);
    }

    [Fact]
    public void PhpBb_Index_ListsItsForumsAndSubforumsWithoutSessionIds_NotTheJumpBoxOrWhoIsOnline()
    {
        var index = PhpBbProfile.Instance.ParseBoard(Load("handmade/phpbb-index.html"), new Uri("http://forum.test/board/index.php"));

        Assert.Equal(
            ["http://forum.test/board/viewforum.php?f=2", "http://forum.test/board/viewforum.php?f=5", "http://forum.test/board/viewforum.php?f=3"],
            index.Boards.Select(b => b.AbsoluteUri));
        Assert.Empty(index.Threads);
        Assert.Null(index.NextPage);
    }

    [Fact]
    public void Discuz_Index_ListsEachBoardOnceAtItsFirstPage_AndNoLastPostRedirectAsAThread()
    {
        // Fetched from a mirror: the page's <base href> names the forum's own address, which links resolve against.
        var index = DiscuzProfile.Instance.ParseBoard(Load("handmade/discuz-index.html"), new Uri("http://mirror.test/bbs/forum.php"));

        Assert.Equal(
            ["http://bbs.test/forum-2-1.html", "http://bbs.test/forum.php?mod=forumdisplay&fid=3", "http://bbs.test/forum-9-1.html"],
            index.Boards.Select(b => b.AbsoluteUri));
        Assert.Empty(index.Threads);
    }

    [Fact]
    public void Discuz_ThreadAndBoardPages_ResolveRelativeLinksAgainstTheirBaseHref()
    {
        // Discuz! X3 writes <base href="SITE/"> and links relative to it; a copy served under another path (a mirror,
        // a proxy) must still lead to the forum's pages, as a browser (and Scrapy) would.
        var page = new Uri("http://proxy.test/mirror/bbs/forum.php?mod=viewthread&tid=5");
        var thread = new HtmlParser().ParseDocument("""
            <html><head><base href="http://bbs.test/x35/" /></head><body><span id="thread_subject">t</span>
            <div id="post_51"><table><tr><td class="t_f" id="postmessage_51">一楼</td></tr></table></div>
            <div class="pg"><a class="nxt" href="forum.php?mod=viewthread&amp;tid=5&amp;page=2">下一页</a></div></body></html>
            """);
        var board = new HtmlParser().ParseDocument("""
            <html><head><base href="http://bbs.test/x35/" /></head><body>
            <a class="s xst" href="thread-5-1-1.html">t</a><div class="pg"><a class="nxt" href="forum-2-2.html">下一页</a></div></body></html>
            """);

        Assert.Equal("http://bbs.test/x35/forum.php?mod=viewthread&tid=5&page=2", DiscuzProfile.Instance.ParseThread(thread, page).NextPage?.AbsoluteUri);
        var listing = DiscuzProfile.Instance.ParseBoard(board, new Uri("http://proxy.test/mirror/bbs/forum-2-1.html"));
        Assert.Equal("http://bbs.test/x35/thread-5-1-1.html", Assert.Single(listing.Threads).Url.AbsoluteUri);
        Assert.Equal("http://bbs.test/x35/forum-2-2.html", listing.NextPage?.AbsoluteUri);
    }

    [Fact]
    public void Tieba_Directory_ListsEachBoardOnceByItsName()
    {
        var park = TiebaProfile.Instance.ParseBoard(Load("handmade/tieba-forumpark.html"), new Uri("http://tieba.example/f/index/forumpark?cn=%E8%80%83%E8%AF%95"));

        Assert.Equal(["http://tieba.example/f?kw=%E4%B8%AD%E8%80%83", "http://tieba.example/f?kw=%E9%AB%98%E8%80%83"], park.Boards.Select(b => b.AbsoluteUri));
        Assert.Empty(park.Threads);
        Assert.Equal("http://tieba.example/f/index/forumpark?cn=%E8%80%83%E8%AF%95&pn=2", park.NextPage?.AbsoluteUri);
    }

    [Fact]
    public void BaseHref_NotHttp_IsIgnored()
    {
        var document = new HtmlParser().ParseDocument("""
            <html><head><base href="javascript:alert(1)"></head><body>
            <a class="topictitle" href="./viewtopic.php?t=7">t</a></body></html>
            """);

        var board = PhpBbProfile.Instance.ParseBoard(document, new Uri("http://forum.test/f/viewforum.php?f=1"));

        Assert.Equal("http://forum.test/f/viewtopic.php?t=7", Assert.Single(board.Threads).Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("phpbb", "http://forum.test/board/viewtopic.php?f=2&t=42&start=30&sid=0123456789abcdef", "http://forum.test/board/viewtopic.php?t=42")]
    [InlineData("phpbb", "http://forum.test/board/viewtopic.php?t=42", "http://forum.test/board/viewtopic.php?t=42")]
    [InlineData("discuz", "http://bbs.test/forum.php?mod=viewthread&tid=117429&extra=page%3D1&page=3", "http://bbs.test/forum.php?mod=viewthread&tid=117429")]
    [InlineData("discuz", "http://bbs.test/forum.php?mod=viewthread&tid=119&page=2&mobile=2", "http://bbs.test/forum.php?mod=viewthread&tid=119&mobile=2")]
    [InlineData("discuz", "http://bbs.test/thread-117429-4-2.html", "http://bbs.test/thread-117429-1-1.html")]
    [InlineData("discuz", "http://bbs.test/archiver/tid-122.html?page=2", "http://bbs.test/archiver/tid-122.html")]
    [InlineData("discuz", "http://bbs.test/archiver/?tid-122.html&page=2", "http://bbs.test/archiver/?tid-122.html")]
    [InlineData("tieba", "http://tieba.example/p/8012345678?pn=3&see_lz=1", "http://tieba.example/p/8012345678")]
    [InlineData("article", "http://news.test/edu/1.html?from=rss#top", "http://news.test/edu/1.html?from=rss")]
    public void ThreadUrlOf_AnyPageOfAThread_IsItsFirstPage(string profile, string page, string thread)
    {
        var named = ProfileRegistry.Named(profile)!;

        Assert.Equal(thread, named.ThreadUrlOf(new Uri(page)).AbsoluteUri);
        Assert.Equal(named.ThreadIdOf(new Uri(page)), named.ThreadIdOf(new Uri(thread)));
    }
}
