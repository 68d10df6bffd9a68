using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>Full-text search and the "try a text" page, in Chromium.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class SearchAndRulesBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Search_ChineseWordThenFilterBySeverity_ShowsHighlightedPostsAndCounts()
    {
        Assert.True(await Demo.WaitForSeedAsync());
        var index = Demo.Server.App.Services.GetRequiredService<ExamNetWatch.Indexer.Indexing.IPostIndex>();
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(100))
        {
            if ((await index.SearchAsync(new ExamNetWatch.Indexer.Search.SearchRequest { Query = "降噪耳机" })).Total > 0)
            {
                break;
            }
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "全文搜索" }).ClickAsync();
        await page.FillAsync("input[name=q]", "米粒耳机");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();

        await Assertions.Expect(page.Locator("#search-results li").First.Locator(".snippet mark")).ToHaveTextAsync("米粒耳机");
        await Assertions.Expect(page.Locator("#search-facets")).ToContainTextAsync("作弊器材");

        await page.FillAsync("input[name=q]", "耳机");
        await page.SelectOptionAsync("select[name=severity]", "none");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();

        await Assertions.Expect(page.Locator("#search-results")).ToContainTextAsync("降噪耳机");
        await Assertions.Expect(page.Locator("#search-results")).Not.ToContainTextAsync("米粒耳机");

        await page.FillAsync("input[name=q]", "\"未闭合");
        await page.GetByRole(AriaRole.Button, new() { Name = "搜索" }).ClickAsync();
        await Assertions.Expect(page.Locator("#search-error")).ToContainTextAsync("引号未闭合");
    }

    [Fact]
    public async Task TryAText_ShowsTheVerdictAndItsExplanation()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "规则试用" }).ClickAsync();

        await page.FillAsync("#try-form textarea", "出售作*弊*器，考前发货，加薇 zk2026helper");
        await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();

        await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("会生成告警");
        await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("“作*弊*器” → 作弊器");
        await Assertions.Expect(page.Locator("#try-explanations")).ToContainTextAsync("zk2026helper");

        await page.FillAsync("#try-form textarea", "今天数学课复习了函数，大家加油");
        await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();
        await Assertions.Expect(page.Locator("#try-severity")).ToHaveTextAsync("无");
    }

    [Fact]
    public async Task TryAText_WhileTyping_TheVerdictFollowsWithoutSubmitting()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules/Try").ToString());

        await page.Locator("#try-form textarea").PressSequentiallyAsync("出售作弊器，加微信 zk2026helper", new() { Delay = 20 });

        await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("会生成告警");
        await page.Locator("#try-form textarea").FillAsync("今天数学课复习了函数");
        await Assertions.Expect(page.Locator("#try-severity")).ToHaveTextAsync("无");
    }
}
