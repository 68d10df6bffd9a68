using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>A page as captured (its URL, HTTP content type and body bytes), to be rendered without going online.</summary>
public sealed record CapturedPage(Uri Url, string ContentType, ReadOnlyMemory<byte> Body);

/// <summary>A screenshot, or why none could be made.</summary>
public sealed record PageShot(byte[]? Png, string? Problem);

/// <summary>Renders captured pages to PNG.</summary>
public interface IPageRenderer
{
    /// <summary>Gets the renderer as the report names it (e.g. "Chromium 156… 无头模式"), or why it is unavailable.</summary>
    string Describe();

    /// <summary>Renders each page; the result list matches <paramref name="pages"/>.</summary>
    Task<IReadOnlyList<PageShot>> RenderAsync(IReadOnlyList<CapturedPage> pages, CancellationToken cancellationToken);
}

/// <summary>
/// Debian's Chromium, headless through Playwright, renders each captured page from its stored bytes: the page's own
/// URL is answered from the capture and every other request is refused, scripts are off, so nothing is fetched and
/// nothing of the hostile page runs. Without Chromium, every rendering says so.
/// </summary>
public sealed class ChromiumPageRenderer(string executablePath) : IPageRenderer
{
    /// <summary>The tallest screenshot taken, in CSS pixels.</summary>
    public const int MaxHeight = 16_000;

    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(20);
    private string? _version;

    public string Describe() => File.Exists(executablePath)
        ? $"Chromium {_version ?? "（版本在首次使用时读取）"} 无头模式（{executablePath}），禁用 JavaScript，阻断网络"
        : $"未安装 Chromium（{executablePath}）";

    public async Task<IReadOnlyList<PageShot>> RenderAsync(IReadOnlyList<CapturedPage> pages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pages);
        if (!File.Exists(executablePath))
        {
            return [.. pages.Select(_ => new PageShot(null, $"未安装 Chromium（{executablePath}），无法生成截图"))];
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executablePath,
            Headless = true,
            // Requests are answered from the capture or refused by the route below; these flags stop connections too
            // (preconnect, prefetch, DNS prefetch): every connection would go to a proxy on a closed loopback port,
            // loopback included, and no host name resolves.
            Args =
            [
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--proxy-server=http://127.0.0.1:1", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
                "--disable-features=NetworkPrediction,Prefetch,NoStatePrefetch,PreloadMediaEngagementData", "--dns-prefetch-disable",
            ],
        });
        _version = browser.Version;
        var results = new List<PageShot>(pages.Count);
        foreach (var captured in pages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                JavaScriptEnabled = false,
                ServiceWorkers = ServiceWorkerPolicy.Block,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
                Locale = "zh-CN",
            });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout((float)PageTimeout.TotalMilliseconds);
            await page.RouteAsync("**/*", route => route.Request.Url == captured.Url.AbsoluteUri
                ? route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = captured.ContentType, BodyBytes = captured.Body.ToArray() })
                : route.AbortAsync());
            try
            {
                await page.GotoAsync(captured.Url.AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
                // A hostile page can be made millions of pixels tall: capture the whole page only up to MaxHeight.
                var height = await PageHeightAsync(page);
                var options = height is > 0 and <= MaxHeight
                    ? new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png }
                    : new PageScreenshotOptions { FullPage = true, Type = ScreenshotType.Png, Clip = new Clip { X = 0, Y = 0, Width = 1280, Height = MaxHeight } };
                results.Add(new PageShot(await page.ScreenshotAsync(options), height > MaxHeight ? $"页面高 {height} 像素，截图只含前 {MaxHeight} 像素" : null));
            }
            catch (PlaywrightException e)
            {
                results.Add(new PageShot(null, "渲染失败：" + e.Message.Split('\n')[0]));
            }
        }

        return results;
    }

    private static async Task<int> PageHeightAsync(IPage page)
    {
        try
        {
            // Runs in Playwright's own context; the page's scripts stay disabled.
            return await page.EvaluateAsync<int>("() => Math.ceil(document.documentElement.scrollHeight)");
        }
        catch (PlaywrightException)
        {
            return -1;
        }
    }
}
