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
    public async Task Render_PageMillionsOfPixelsTall_ImageIsCappedAndTheNoteSaysSo()
    {
        const string Html = """<html><body><div style="height:3000000px;background:linear-gradient(red,blue)">很长的页面</div></body></html>""";

        var shot = Assert.Single(await new ChromiumPageRenderer(EvidenceOptions.DefaultChromium).RenderAsync([new CapturedPage(new Uri("http://bbs.test/tall.html"), "text/html; charset=utf-8", Encoding.UTF8.GetBytes(Html))], CancellationToken.None));

        Assert.NotNull(shot.Png);
        // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
        Assert.Equal(ChromiumPageRenderer.MaxHeight, BinaryPrimitives.ReadInt32BigEndian(shot.Png.AsSpan(20)));
        Assert.Contains("px tall", shot.Problem, StringComparison.Ordinal);
    }
}
