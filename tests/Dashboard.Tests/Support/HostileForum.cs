using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A thread of the hostile forum: its title and author (escaped, as forum software prints them) and its post's HTML (served as is).</summary>
public sealed record HostileThread(int Id, string Title, string Author, string PostHtml);

/// <summary>
/// A Discuz!-like board written by an attacker, on 127.0.0.1: one board page listing every thread, one page per thread.
/// Also a sentinel: every request to <c>/hit/…</c> is recorded, so a vector that makes a browser call home is seen.
/// </summary>
public sealed class HostileForum : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<HostileThread> _threads;

    private HostileForum(WebApplication app, IReadOnlyList<HostileThread> threads)
    {
        _app = app;
        _threads = threads;
    }

    /// <summary>Gets the base address, e.g. <c>http://127.0.0.1:5081/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the board page the crawl starts from.</summary>
    public Uri BoardUrl => new(BaseAddress, "forum.php?mod=forumdisplay&fid=2");

    /// <summary>Gets the sentinel's calls: the path and query of every request to <c>/hit/…</c>, and who asked.</summary>
    public ConcurrentQueue<string> Hits { get; } = new();

    /// <summary>Gets the forum server's own request log: when each request arrived, and its path and query.</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Target)> Requests { get; } = new();

    /// <summary>The sentinel address for vector <paramref name="id"/>.</summary>
    public string Callback(int id) => new Uri(BaseAddress, FormattableString.Invariant($"hit/{id}")).ToString();

    public static async Task<HostileForum> StartAsync(Func<HostileForum, IReadOnlyList<HostileThread>> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        var holder = new List<HostileThread>();
        HostileForum forum = null!;
        (_, var root) = await LoopbackApp.StartAsync(app =>
        {
            forum = new HostileForum(app, holder);
            app.Use((context, next) =>
            {
                forum.Requests.Enqueue((TimeProvider.System.GetUtcNow(), context.Request.Path + context.Request.QueryString));
                return next(context);
            });
            app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nAllow: /\n", "text/plain"));
            app.Map("/hit/{**rest}", (HttpRequest request) =>
            {
                forum.Hits.Enqueue($"{request.Method} {request.Path}{request.QueryString} from {request.Headers.UserAgent}");
                return Results.Text(string.Empty, "text/plain");
            });
            app.MapGet("/forum.php", (HttpRequest request) => forum.Page(request));
        });
        forum.BaseAddress = root;
        holder.AddRange(threads(forum));
        return forum;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult Page(HttpRequest request)
    {
        if (request.Query["mod"] == "viewthread" && int.TryParse(request.Query["tid"], NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
            && _threads.FirstOrDefault(t => t.Id == tid) is { } thread)
        {
            return Html(Thread(thread));
        }

        return request.Query["mod"] == "forumdisplay" ? Html(Board()) : Results.NotFound();
    }

    private static IResult Html(string html) => Results.Text(html, "text/html; charset=utf-8", Encoding.UTF8);

    private string Board()
    {
        var html = Start("中考交流 - 某论坛");
        html.Append("<table id=\"threadlisttableid\" summary=\"forum_2\">\n");
        foreach (var thread in _threads)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tbody id=\"normalthread_{thread.Id}\"><tr><th class=\"common\">")
                .Append(CultureInfo.InvariantCulture, $"<a href=\"forum.php?mod=viewthread&amp;tid={thread.Id}\" class=\"s xst\">{E(thread.Title)}</a></th>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"by\"><cite><a href=\"home.php?mod=space&amp;uid={thread.Id}\">{E(thread.Author)}</a></cite><em><span>2027-6-1 10:00</span></em></td>")
                .Append("<td class=\"num\"><a href=\"#\" class=\"xi2\">0</a></td></tr></tbody>\n");
        }

        return End(html.Append("</table>\n"));
    }

    private static string Thread(HostileThread thread)
    {
        var html = Start(thread.Title + " - 中考交流 - 某论坛");
        html.Append(CultureInfo.InvariantCulture, $"<h1 class=\"ts\"><span id=\"thread_subject\">{E(thread.Title)}</span></h1>\n<div id=\"postlist\" class=\"pl bm\">\n")
            .Append(CultureInfo.InvariantCulture, $"<div id=\"post_{thread.Id}\"><table id=\"pid{thread.Id}\" class=\"plhin\"><tr>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"pls\"><div class=\"pi\"><div class=\"authi\"><a href=\"home.php?mod=space&amp;uid={thread.Id}\" class=\"xw1\">{E(thread.Author)}</a></div></div></td>")
            .Append(CultureInfo.InvariantCulture, $"<td class=\"plc\"><div class=\"pi\"><strong><a href=\"forum.php?mod=redirect&amp;goto=findpost&amp;pid={thread.Id}\" id=\"postnum{thread.Id}\">楼主</a></strong>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"pti\"><div class=\"authi\"><em id=\"authorposton{thread.Id}\">发表于 2027-6-1 10:00</em></div></div></div>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"pct\"><div class=\"pcb\"><div class=\"t_fsz\"><table cellspacing=\"0\" cellpadding=\"0\"><tr><td class=\"t_f\" id=\"postmessage_{thread.Id}\">\n")
            .Append(thread.PostHtml)
            .Append("</td></tr></table></div></div></div></td></tr></table></div>\n</div>\n");
        return End(html);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Start(string title) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\" />\n<title>").Append(E(title))
        .Append("</title><meta name=\"generator\" content=\"Discuz! X3.4\" /></head>\n<body id=\"nv_forum\">\n<div id=\"wp\" class=\"wp\">\n");

    private static string End(StringBuilder html) => html.Append("</div>\n</body></html>\n").ToString();
}
