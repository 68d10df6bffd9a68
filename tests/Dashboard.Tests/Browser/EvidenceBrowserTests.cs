using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>The evidence package from the alert page, in Chromium: downloaded, verified, audited.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class EvidenceBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    [Fact]
    public async Task Analyst_ExportsFromTheAlertPage_TheDownloadVerifiesAndIsAudited()
    {
        var alertId = await ExamNetWatch.Dashboard.Tests.Evidence.EvidenceTestKit.FirstCrawledAlertAsync(Demo);

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"Alerts/Detail/{alertId}").ToString());

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "导出证据包" }).ClickAsync());

        Assert.Equal($"evidence-A{alertId}.zip", download.SuggestedFilename);
        var path = Path.Combine(Path.GetTempPath(), "enw-download-" + Guid.NewGuid().ToString("N") + ".zip");
        await download.SaveAsAsync(path);
        try
        {
            await using var stream = File.OpenRead(path);
            var report = ExamNetWatch.Dashboard.Evidence.EvidenceVerifier.Verify(stream);
            Assert.True(report.Holds, string.Join("\n", report.Failures));
            Assert.Contains(report.Checked, c => c.StartsWith("screenshots/", StringComparison.Ordinal));
            Assert.Contains(report.Checked, c => c.StartsWith("captures.warc.gz: 3 records", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }

        await using var check = Demo.Server.App.Services.CreateAsyncScope();
        var entry = await check.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.OrderByDescending(a => a.Id)
            .FirstAsync(a => a.Action == "evidence.export" && a.Target == ExamNetWatch.Dashboard.Triage.AlertTriage.Target(alertId));
        Assert.Equal(Demo.Server.UserName, entry.Actor);
    }

    [Fact]
    public async Task Analyst_DownloadsTheSpecialCheckReport_ThisMonthByDefault_AFuturePeriodRefused_WithItsNumberAndConclusions()
    {
        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "专项检查报告" }).ClickAsync();
        // The period proposed is this month so far: from the 1st to today.
        var today = await page.InputValueAsync("#report-form input[name=To]");
        Assert.Equal(today[..8] + "01", await page.InputValueAsync("#report-form input[name=From]"));

        await page.FillAsync("#report-form input[name=Authority]", "某市教育考试院");
        await page.FillAsync("#report-form input[name=DocumentNumber]", "某教考〔2026〕12号");
        await page.FillAsync("#report-form textarea[name=Conclusions]", "建议考前三天起每日两次巡查考生贴吧。");
        await page.SelectOptionAsync("#report-form select[name=Format]", "docx");
        var future = DateOnly.ParseExact(today, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.FillAsync("#report-form input[name=To]", future);
        await page.GetByRole(AriaRole.Button, new() { Name = "生成报告" }).ClickAsync();

        // Refused, saying why, with everything typed kept.
        Assert.Contains($"期间不能晚于今天（{today}）", await page.InnerTextAsync("#report-error"), StringComparison.Ordinal);
        Assert.Equal("某教考〔2026〕12号", await page.InputValueAsync("#report-form input[name=DocumentNumber]"));
        Assert.Equal("建议考前三天起每日两次巡查考生贴吧。", await page.InputValueAsync("#report-form textarea[name=Conclusions]"));
        Assert.Equal("docx", await page.InputValueAsync("#report-form select[name=Format]"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "enw-special-check-refused.png") });

        await page.FillAsync("#report-form input[name=To]", today);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "生成报告" }).ClickAsync());

        Assert.EndsWith(".docx", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "enw-report-" + Guid.NewGuid().ToString("N") + ".docx");
        await download.SaveAsAsync(path);
        try
        {
            using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(path, false);
            var text = document.MainDocumentPart!.Document!.Body!.InnerText;
            Assert.Contains("报送单位：某市教育考试院", text, StringComparison.Ordinal);
            Assert.Contains("某教考〔2026〕12号", text, StringComparison.Ordinal);
            Assert.Contains("演示论坛", text, StringComparison.Ordinal);
            Assert.Contains("结论与下一步工作", text, StringComparison.Ordinal);
            Assert.Contains("建议考前三天起每日两次巡查考生贴吧。", text, StringComparison.Ordinal);
            Assert.DoesNotContain("（报送单位）", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }

        await using var check = Demo.Server.App.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.AnyAsync(a => a.Action == "report.special-check" && a.Actor == Demo.Server.UserName));
    }

    [Fact]
    public async Task Analyst_ExportsAGroupFromTheQueue_OnePackageHoldsEveryAlertOfIt()
    {
        var contact = "qun" + Guid.NewGuid().ToString("N")[..6];
        await IngestAsync([$"出售中考答案，考前发，加微信 {contact}", $"隐形耳机批发，微信 {contact}"]);
        long group;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var alerts = await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Alerts.Where(a => a.Title.Contains(contact)).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, alerts.Count);
            group = alerts[1].GroupId!.Value;
        }

        var page = await NewLaptopPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"?status=all&group={group}").ToString());

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#group-export button").ClickAsync());

        Assert.Equal($"evidence-G{group}.zip", download.SuggestedFilename);
        using var zip = new MemoryStream();
        await using (var stream = await download.CreateReadStreamAsync())
        {
            await stream.CopyToAsync(zip);
        }

        var manifest = System.Text.Json.Nodes.JsonNode.Parse(ExamNetWatch.Dashboard.Tests.Evidence.EvidenceTestKit.Entries(zip.ToArray())["manifest.json"])!;
        Assert.Equal(2, manifest["alerts"]!.AsArray().Count);
        Assert.True(ExamNetWatch.Dashboard.Tests.Evidence.EvidenceTestKit.Verify(zip.ToArray()).Holds);
    }
}
