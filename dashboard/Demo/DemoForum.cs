using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExamNetWatch.Dashboard.Demo;

/// <summary>
/// A small Discuz!-like forum served by Kestrel on 127.0.0.1, so the demo and the tests crawl a real HTTP
/// server: a board page (<c>/forum.php?mod=forumdisplay&amp;fid=2</c>) and paginated thread pages, in UTF-8.
/// While it runs it publishes the next scripted post every <see cref="PublishInterval"/>.
/// </summary>
public sealed class DemoForum : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private Task _publisher = Task.CompletedTask;

    private DemoForum(WebApplication app, DemoForumContent content, TimeProvider time, TimeSpan publishInterval)
    {
        _app = app;
        _time = time;
        Content = content;
        PublishInterval = publishInterval;
    }

    /// <summary>Gets the forum's content.</summary>
    public DemoForumContent Content { get; }

    /// <summary>Gets the time between two live posts (zero: no live posts).</summary>
    public TimeSpan PublishInterval { get; }

    /// <summary>Gets the base address, e.g. <c>http://127.0.0.1:5081/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the board page the crawl starts from.</summary>
    public Uri BoardUrl => new(BaseAddress, "forum.php?mod=forumdisplay&fid=2");

    /// <summary>Starts the forum on 127.0.0.1:<paramref name="port"/> (0 = any free port).</summary>
    public static async Task<DemoForum> StartAsync(int port, TimeSpan publishInterval, TimeProvider time, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var content = new DemoForumContent(time);
        var forum = new DemoForum(app, content, time, publishInterval);
        app.MapGet("/", () => Results.Redirect("/forum.php?mod=forumdisplay&fid=2"));
        // As Discuz! ships it: member pages are off limits to crawlers.
        app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nDisallow: /home.php\nDisallow: /member.php\nDisallow: /api/\n", "text/plain"));
        app.MapGet("/forum.php", (HttpRequest request) => forum.Page(request));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        forum.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        if (publishInterval > TimeSpan.Zero)
        {
            forum._publisher = forum.PublishLoopAsync(loggerFactory.CreateLogger<DemoForum>());
        }

        return forum;
    }

    /// <summary>Stops publishing live posts; the forum goes on serving what it has.</summary>
    public async Task StopPublishingAsync()
    {
        await _stop.CancelAsync();
        await _publisher;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _publisher;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stop.Dispose();
    }

    private IResult Page(HttpRequest request)
    {
        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        switch (request.Query["mod"].ToString())
        {
            case "viewthread" when int.TryParse(request.Query["tid"], NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                                   && Content.Thread(tid) is { } thread:
                return Html(DemoForumPages.Thread(thread, Content.PostsOf(thread), page));
            case "viewthread":
                return Results.NotFound();
            default:
                return Html(DemoForumPages.Board(Content.Threads, page));
        }
    }

    private static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    private async Task PublishLoopAsync(ILogger logger)
    {
        using var timer = new PeriodicTimer(PublishInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                var post = Content.PublishNextLive(_time.GetUtcNow());
                HostLog.DemoPublished(logger, post.Id, post.ThreadId);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
