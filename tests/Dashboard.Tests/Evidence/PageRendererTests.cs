using System.Buffers.Binary;
using System.Text;
using ExamNetWatch.Dashboard.Evidence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamNetWatch.Dashboard.Tests.Evidence;

/// <summary>Screenshots of hostile captured pages: nothing is fetched, and a page cannot make the image unbounded.</summary>
public sealed class PageRendererTests
{
    [Fact]
    public async Task Render_PageLinkingImagesStylesAndScripts_FetchesNothingFromTheNetwork()
    {
        var hits = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var elsewhere = builder.Build();
        elsewhere.MapGet("/{**path}", () =>
        {
            Interlocked.Increment(ref hits);
            return "x";
        });
        await elsewhere.StartAsync();
        var other = new Uri(elsewhere.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var html = $"""<html><head><link rel="stylesheet" href="{other}s.css"><script src="{other}a.js"></script></head><body><img src="{other}i.png"><iframe src="{other}f"></iframe>出售答案</body></html>""";

        var shots = await new ChromiumPageRenderer(EvidenceOptions.DefaultChromium).RenderAsync([new CapturedPage(new Uri("http://bbs.test/thread-1.html"), "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html))], CancellationToken.None);

        Assert.NotNull(Assert.Single(shots).Png);
        Assert.Equal(0, hits);
    }

    [Fact]
    public async Task Render_PageAskingForConnectionsElsewhere_NoConnectionIsOpened()
    {
        // A bare TCP listener: it counts connections, whatever is (or is not) sent on them.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                }
            }
            catch (OperationCanceledException)
            {
                // Done.
            }
        });
        var other = $"http://127.0.0.1:{port}/";
        var html = string.Concat(
            $"<html><head><link rel=\"preconnect\" href=\"{other}\"><link rel=\"dns-prefetch\" href=\"//localhost:{port}\"><link rel=\"prefetch\" href=\"{other}next.html\">",
            $"<link rel=\"preload\" as=\"image\" href=\"{other}p.png\"><link rel=\"stylesheet\" href=\"http://localhost:{port}/s.css\">",
            $"<style>@import url(\"{other}i.css\"); @font-face {{ font-family: x; src: url(\"{other}f.woff\"); }} body {{ font-family: x; background: url(\"{other}b.png\"); }}</style>",
            $"</head><body><img src=\"{other}i.png\"><img srcset=\"{other}s.png 2x\"><video src=\"{other}v.mp4\" preload=\"auto\"></video>",
            $"<a href=\"{other}a\" ping=\"{other}ping\">出售答案</a><iframe src=\"{other}f\"></iframe><object data=\"{other}o.swf\"></object></body></html>");

        var shots = await new ChromiumPageRenderer(EvidenceOptions.DefaultChromium).RenderAsync([new CapturedPage(new Uri("http://bbs.test/thread-2.html"), "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html))], CancellationToken.None);
        await Task.Delay(500);
        await stop.CancelAsync();
        await accepting;

        var png = Assert.Single(shots).Png;
        Assert.NotNull(png);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "screenshots", "render-no-connections.png"), png);
        Assert.Equal(0, connections);
    }

    [Fact]
    public async Task Render_PageMillionsOfPixelsTall_ImageIsCappedAndTheNoteSaysSo()
    {
        const string Html = """<html><body><div style="height:3000000px;background:linear-gradient(red,blue)">很长的页面</div></body></html>""";

        var shot = Assert.Single(await new ChromiumPageRenderer(EvidenceOptions.DefaultChromium).RenderAsync([new CapturedPage(new Uri("http://bbs.test/tall.html"), "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Html))], CancellationToken.None));

        Assert.NotNull(shot.Png);
        // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(ChromiumPageRenderer.MaxHeight, BinaryPrimitives.ReadInt32BigEndian(shot.Png.AsSpan(20)));
        Assert.Contains("截图只含前", shot.Problem, StringComparison.Ordinal);
    }
}
