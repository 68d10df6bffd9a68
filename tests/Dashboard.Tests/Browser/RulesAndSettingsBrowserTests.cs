using System.Collections.Concurrent;
using System.IO.Compression;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The keyword dictionaries and the notification settings, edited by an administrator in Chromium.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class RulesAndSettingsBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Admin_AddsATerm_TryATextFindsIt_ThenRemovesIt()
    {
        const string Term = "作弊橡皮";
        const string Post = "出售作弊橡皮，考前发货，加微信 xiangpi2026";
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "规则词库" }).ClickAsync();

        await page.SelectOptionAsync("#rules-add select[name=kind]", "device");
        await page.FillAsync("#rules-add input[name=term]", Term);
        await page.FillAsync("#rules-add input[name=weight]", "0.5");
        await page.ClickAsync("#rules-add button");
        await Assertions.Expect(page.Locator("#rules-message")).ToContainTextAsync("规则已生效");

        try
        {
            await page.FillAsync("input[name=q]", Term);
            await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
            await Assertions.Expect(page.Locator("#rules-table .rule-term")).ToHaveTextAsync([Term]);
            await ScreenshotAsync(page, "rules-editor");

            await page.GetByRole(AriaRole.Link, new() { Name = "规则试用" }).ClickAsync();
            await page.FillAsync("#try-form textarea", Post);
            await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();
            await Assertions.Expect(page.Locator("#try-verdict")).ToContainTextAsync("→ " + Term);
        }
        finally
        {
            await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules?q=" + Uri.EscapeDataString(Term)).ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "删除 " + Term }).ClickAsync();
        }

        await Assertions.Expect(page.Locator("#rules-table .rule-term")).ToHaveCountAsync(0);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules/Try").ToString());
        await page.FillAsync("#try-form textarea", Post);
        await page.GetByRole(AriaRole.Button, new() { Name = "检测" }).ClickAsync();
        await Assertions.Expect(page.Locator("#try-verdict")).Not.ToContainTextAsync("→ " + Term);
        await using var scope = Demo.Server.App.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit
            .Where(a => a.Target == "rules" && a.Detail!.Contains(Term)).Select(a => a.Action).ToListAsync();
        Assert.Equal(["rules.add", "rules.remove"], actions);
    }

    [Fact]
    public async Task Admin_ImportsABrokenFile_RefusedNamingTheLine_ExportGivesEveryRulesFileAndTheModel()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules").ToString());
        var before = await page.Locator("#rules-files").InnerTextAsync();

        await page.SetInputFilesAsync("#rules-import input[type=file]", new FilePayload { Name = "terms.tsv", MimeType = "text/tab-separated-values", Buffer = "device\t作弊笔\t0.5\ndevice\t坏行\n"u8.ToArray() });
        await page.ClickAsync("#rules-import button");

        await Assertions.Expect(page.Locator("#rules-error")).ToContainTextAsync("terms.tsv line 2");
        Assert.Equal(before, await page.Locator("#rules-files").InnerTextAsync());

        // A small zip that inflates past the limit.
        using var bomb = new MemoryStream();
        using (var archive = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("terms.tsv").Open());
            writer.Write(new string('#', 9 * 1024 * 1024));
        }

        await page.SetInputFilesAsync("#rules-import input[type=file]", new FilePayload { Name = "rules.zip", MimeType = "application/zip", Buffer = bomb.ToArray() });
        await page.ClickAsync("#rules-import button");
        await Assertions.Expect(page.Locator("#rules-error")).ToContainTextAsync("larger than 8 MB");
        Assert.Equal(before, await page.Locator("#rules-files").InnerTextAsync());
        var export = await page.APIRequest.GetAsync(new Uri(Demo.Server.DashboardUrl, "Rules?handler=Export").ToString());
        using var zip = new ZipArchive(new MemoryStream(await export.BodyAsync()));
        Assert.Equal(["combinations.tsv", "concepts.tsv", "model.tsv", "patterns.tsv", "terms.tsv"], zip.Entries.Select(e => e.Name).Order(StringComparer.Ordinal));

        // What was exported imports again as it is, model included.
        await page.SetInputFilesAsync("#rules-import input[type=file]", new FilePayload { Name = "rules.zip", MimeType = "application/zip", Buffer = await export.BodyAsync() });
        await page.ClickAsync("#rules-import button");
        await Assertions.Expect(page.Locator("#rules-message")).ToContainTextAsync("规则已生效");
        await Assertions.Expect(page.Locator("#rules-model summary")).ToContainTextAsync("统计模型");
        await page.ClickAsync("#rules-model summary");
        await Assertions.Expect(page.Locator("#rules-model table")).ToContainTextAsync("考中传题");
        await ScreenshotAsync(page, "rules-model");
    }

    [Fact]
    public async Task Analyst_ReadsTheRulesButCannotChangeThem()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules").ToString());
        await Assertions.Expect(page.Locator("#rules-table tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rules-add")).ToHaveCountAsync(0);

        var response = await PostDirectlyAsync(page, "Rules?handler=Add&file=terms.tsv", ("kind", "device"), ("term", "分析员加的词"), ("weight", "0.5"));
        var settings = await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Settings").ToString());

        Assert.Contains("AccessDenied", response.Url, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", settings!.Url, StringComparison.Ordinal);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Rules?q=分析员加的词").ToString());
        await Assertions.Expect(page.Locator("#rules-table .rule-term")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_AddsAWebhookAndSendsATest_TheReceiverGetsIt()
    {
        var received = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/hook", async (HttpRequest request) =>
        {
            received.Enqueue(await new StreamReader(request.Body).ReadToEndAsync());
            return Results.Ok();
        });
        await receiver.StartAsync();
        var hook = new Uri(new Uri(receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "hook");

        var page = await NewLaptopPageAsync();
        await SignInAsAdminAsync(page);
        await page.ClickAsync("#admin-menu summary");
        await page.GetByRole(AriaRole.Link, new() { Name = "通知设置" }).ClickAsync();
        await page.SelectOptionAsync("#settings-add-webhook select[name=kind]", "webhook");
        await page.FillAsync("#settings-add-webhook input[name=url]", hook.ToString());
        await page.ClickAsync("#settings-add-webhook button");
        await Assertions.Expect(page.Locator("#settings-message")).ToContainTextAsync("设置已保存");

        try
        {
            await page.ClickAsync("#settings-test button");
            await Assertions.Expect(page.Locator("#settings-test-results")).ToContainTextAsync("webhook:127.0.0.1/hook：成功");
            await ScreenshotAsync(page, "settings");
            // Real alerts of the running demo may arrive too while the hook is set; the test message is alert 0.
            var test = received.Select(b => System.Text.Json.Nodes.JsonNode.Parse(b)!).Single(b => b["id"]!.GetValue<long>() == 0);
            Assert.Contains("测试消息", test["title"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            await page.Locator("#settings-webhooks tr", new() { HasText = hook.GetLeftPart(UriPartial.Path) }).GetByRole(AriaRole.Button, new() { Name = "删除" }).ClickAsync();
        }

        await Assertions.Expect(page.Locator("#settings-webhooks tbody tr", new() { HasText = hook.GetLeftPart(UriPartial.Path) })).ToHaveCountAsync(0);
    }
}
