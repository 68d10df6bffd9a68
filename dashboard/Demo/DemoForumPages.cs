using System.Globalization;
using System.Net;
using System.Text;

namespace ExamNetWatch.Dashboard.Demo;

/// <summary>Renders the demo forum in Discuz! X3 markup: board pages with <c>a.s.xst</c> links, thread pages with <c>td.t_f#postmessage_N</c>.</summary>
internal static class DemoForumPages
{
    public const int ThreadsPerPage = 15;
    public const int PostsPerPage = 5;

    public static string Board(IReadOnlyList<DemoThread> threads, int page)
    {
        var pages = Math.Max(1, (threads.Count + ThreadsPerPage - 1) / ThreadsPerPage);
        var html = Start("中考交流 - 演示论坛");
        html.Append("<div id=\"pt\"><a href=\"forum.php\">演示论坛</a> &rsaquo; <a href=\"forum.php?mod=forumdisplay&amp;fid=2\">中考交流</a></div>\n");
        html.Append("<table id=\"threadlisttableid\" summary=\"forum_2\">\n");
        foreach (var thread in threads.Skip((page - 1) * ThreadsPerPage).Take(ThreadsPerPage))
        {
            var first = thread.Posts[0];
            html.Append(CultureInfo.InvariantCulture, $"<tbody id=\"normalthread_{thread.Id}\"><tr><th class=\"common\">")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"forum.php?mod=viewthread&amp;tid={thread.Id}&amp;extra=page%3D{page}\" onclick=\"atarget(this)\" class=\"s xst\">{E(thread.Title)}</a></th>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"by\"><cite><a href=\"home.php?mod=space&amp;username={E(first.Author)}\">{E(first.Author)}</a></cite><em><span>{Time(first.PostedAt)}</span></em></td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\"><a href=\"#\" class=\"xi2\">{thread.Posts.Count - 1}</a></td></tr></tbody>\n");
        }

        html.Append("</table>\n");
        Pager(html, page, pages, p => $"forum.php?mod=forumdisplay&amp;fid=2&amp;page={p}");
        return End(html);
    }

    public static string Thread(DemoThread thread, IReadOnlyList<DemoPost> posts, int page)
    {
        var pages = Math.Max(1, (posts.Count + PostsPerPage - 1) / PostsPerPage);
        var html = Start(thread.Title + " - 中考交流 - 演示论坛");
        html.Append(CultureInfo.InvariantCulture, $"<h1 class=\"ts\"><span id=\"thread_subject\">{E(thread.Title)}</span></h1>\n<div id=\"postlist\" class=\"pl bm\">\n");
        for (var i = (page - 1) * PostsPerPage; i < Math.Min(posts.Count, page * PostsPerPage); i++)
        {
            var post = posts[i];
            html.Append(CultureInfo.InvariantCulture, $"<div id=\"post_{post.Id}\"><table id=\"pid{post.Id}\" class=\"plhin\"><tr>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"pls\"><div class=\"pi\"><div class=\"authi\"><a href=\"home.php?mod=space&amp;uid={Uid(post.Author)}\" class=\"xw1\">{E(post.Author)}</a></div></div></td>")
                .Append("<td class=\"plc\"><div class=\"pi\"><strong>")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"forum.php?mod=redirect&amp;goto=findpost&amp;ptid={thread.Id}&amp;pid={post.Id}\" id=\"postnum{post.Id}\">{Floor(i + 1)}</a></strong>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"pti\"><div class=\"authi\"><em id=\"authorposton{post.Id}\">发表于 {Time(post.PostedAt)}</em></div></div></div>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"pct\"><div class=\"pcb\"><div class=\"t_fsz\"><table cellspacing=\"0\" cellpadding=\"0\"><tr><td class=\"t_f\" id=\"postmessage_{post.Id}\">\n")
                .Append(E(post.Text).Replace("\n", "<br />\n", StringComparison.Ordinal))
                .Append("</td></tr></table></div></div></div></td></tr></table></div>\n");
        }

        html.Append("</div>\n");
        Pager(html, page, pages, p => $"forum.php?mod=viewthread&amp;tid={thread.Id}&amp;page={p}");
        return End(html);
    }

    private static void Pager(StringBuilder html, int page, int pages, Func<int, string> link)
    {
        if (pages <= 1)
        {
            return;
        }

        html.Append("<div class=\"pgs cl\"><div class=\"pg\">");
        for (var p = 1; p <= pages; p++)
        {
            html.Append(p == page ? FormattableString.Invariant($"<strong>{p}</strong>") : FormattableString.Invariant($"<a href=\"{link(p)}\">{p}</a>"));
        }

        if (page < pages)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{link(page + 1)}\" class=\"nxt\">下一页</a>");
        }

        html.Append("</div></div>\n");
    }

    private static string Floor(int floor) => floor switch
    {
        1 => "楼主",
        2 => "沙发",
        3 => "板凳",
        4 => "地板",
        _ => FormattableString.Invariant($"<em>{floor}</em><sup>#</sup>"),
    };

    private static string Time(DateTimeOffset at) => at.ToOffset(Hosting.BeijingTime.Offset).ToString("yyyy-M-d HH:mm", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" />\n<title>").Append(E(title))
        .Append("</title><meta name=\"generator\" content=\"Discuz! X3.4 (ExamNetWatch demo)\" /></head>\n<body id=\"nv_forum\">\n<div id=\"wp\" class=\"wp\">\n");

    private static string End(StringBuilder html) => html.Append("</div>\n</body></html>\n").ToString();

    /// <summary>A stable Discuz!-style user id for a demo author (FNV-1a of the name), as real boards link authors by uid.</summary>
    private static int Uid(string author)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(author))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return 10000 + (int)(hash % 90000);
    }
}
