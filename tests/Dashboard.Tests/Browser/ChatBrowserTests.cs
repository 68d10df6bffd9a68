using System.Text;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>
/// A QQ group as staff bring it in through the dashboard in Chromium: an admin registers it with its authorisation, an
/// analyst uploads a member's export with a progress bar, the offer in it alerts in the queue marked as a group chat,
/// and its page shows the conversation around it. The same file again adds nothing; a file that cannot be read is
/// refused whole, naming the line.
/// </summary>
[Collection(DemoServerGroup.Name)]
public sealed class ChatBrowserTests(DemoServerFixture demo) : DashboardBrowserTest(demo)
{
    private const string Offer = "出售2026年中考各科答案，考前一天发，加微信 zk2026da";

    [Fact]
    public async Task GroupChat_RegisteredImportedWithProgress_TheOfferAlertsMarkedAsChatWithItsConversation_AgainAddsNothing_BadFileRefusedWhole()
    {
        var name = "初三家长群-" + Guid.NewGuid().ToString("N")[..6];
        var group = Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var admin = await NewAnalystScreenPageAsync();
        await SignInAsAdminAsync(admin);
        await admin.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources").ToString());
        await admin.ClickAsync("#source-new-chat");
        await admin.FillAsync("#Name", name);
        await admin.SelectOptionAsync("#Kind", "qq-group");
        await admin.FillAsync("#ChatGroupId", group);
        await admin.FillAsync("#ChatMember", "王老师");
        await admin.FillAsync("#Basis", "某教考院〔2026〕5号");
        await admin.FillAsync("#ApprovedBy", "某市教育考试院");
        await admin.FillAsync("input[name='Authorisation.ValidFrom']", "2026-01-01");
        await admin.FillAsync("input[name='Authorisation.ValidUntil']", "2099-12-31");
        await admin.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(admin.Locator("h1")).ToContainTextAsync(name);
        await Assertions.Expect(admin.Locator("#source-status")).ToHaveTextAsync("授权有效");
        await Assertions.Expect(admin.Locator("#source-chat-group")).ToHaveTextAsync(group);
        // A group chat is never crawled: no crawl button, no crawl settings to change.
        await Assertions.Expect(admin.Locator("#source-run")).ToHaveCountAsync(0);
        var sourceId = int.Parse(admin.Url[(admin.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

        // An analyst (not an admin) imports the member's export; the page says how far the upload is, then what it did.
        var analyst = await NewAnalystScreenPageAsync();
        await SignInAsync(analyst);
        await analyst.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Sources/Detail/" + sourceId).ToString());
        await RecordUploadStatesAsync(analyst);
        var export = Encoding.UTF8.GetBytes(string.Join("\r\n", Export(group)));
        await analyst.SetInputFilesAsync("#chat-import-file", new FilePayload { Name = "家长群-导出.txt", MimeType = "text/plain", Buffer = export });
        await analyst.ClickAsync("#chat-import-submit");
        var result = analyst.Locator("#chat-import-result[data-outcome]");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-outcome", "imported");
        await Assertions.Expect(result).ToContainTextAsync("读取消息 12 条，新消息 12 条，已导入过 0 条");
        await Assertions.Expect(result).ToContainTextAsync("新告警 1 条");
        await Assertions.Expect(result).ToContainTextAsync(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(export)));
        var states = await analyst.EvaluateAsync<string[]>("() => window.uploadStates");
        Assert.Contains("正在上传 0%", states);
        Assert.Contains("上传完成，正在检测与保存…", states);
        await ScreenshotAsync(analyst, "chat-import");

        await analyst.ReloadAsync();
        await Assertions.Expect(analyst.Locator("#source-last-crawl")).ToContainTextAsync("新消息 12，已导入过 0");
        await analyst.SetInputFilesAsync("#chat-import-file", new FilePayload { Name = "家长群-导出.txt", MimeType = "text/plain", Buffer = export });
        await analyst.ClickAsync("#chat-import-submit");
        await Assertions.Expect(result).ToContainTextAsync("读取消息 12 条，新消息 0 条，已导入过 12 条");

        // Two groups' exports run together cannot be told apart: refused whole, at the line where the second begins.
        var twoGroups = Export(group).Concat(["消息对象:另一个群", new string('=', 64), string.Empty, "2026-06-17 22:30:00 路人(77778888)", Offer.Replace("zk2026da", "zk2099xx", StringComparison.Ordinal), string.Empty]);
        await analyst.SetInputFilesAsync("#chat-import-file", new FilePayload { Name = "两个群.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(string.Join("\r\n", twoGroups)) });
        await analyst.ClickAsync("#chat-import-submit");
        await Assertions.Expect(result).ToHaveAttributeAsync("data-outcome", "refused");
        await Assertions.Expect(result).ToContainTextAsync($"第 {Export(group).Length + 1} 行");
        await Assertions.Expect(result).ToContainTextAsync("一条也没有导入");

        // A file larger than a server's default request limit (30 MB) still reaches the importer, which says what it is not.
        var (client, _) = await SignedInClient.SignInAsync(Demo.Server.DashboardUrl, Demo.Server.UserName, Demo.Server.Password!);
        using (client)
        {
            var token = await SignedInClient.TokenAsync(client, "Sources/Detail/" + sourceId);
            var large = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("这是一份很长的普通文本，不是聊天记录的导出文件。\n", 700_000)));
            Assert.True(large.Length > 31 * 1024 * 1024);
            using var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new ByteArrayContent(large), "file", "large.txt" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"Sources/Detail/{sourceId}?handler=Import") { Content = form };
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await client.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("not a chat export ExamNetWatch reads", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        long alertId;
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            Assert.Equal(12, await db.Posts.CountAsync(p => p.SourceId == sourceId));
            Assert.False(await db.Posts.AnyAsync(p => p.Text.Contains("zk2099xx")));
            alertId = await db.Alerts.Where(a => a.SourceId == sourceId).Select(a => a.Id).SingleAsync();
            Assert.Equal(2, await db.Audit.CountAsync(a => a.Target == "source:" + name && a.Action == AuditActions.ChatImportRefused));
            Assert.All(await db.Audit.Where(a => a.Target == "source:" + name && a.Action == AuditActions.ChatImportRefused).ToListAsync(), a => Assert.Equal(Demo.Server.UserName, a.Actor));
        }

        // In the queue the alert is marked as a group chat's and named by its sender and message.
        await analyst.GotoAsync(new Uri(Demo.Server.DashboardUrl, $"?status=all&source={sourceId}").ToString());
        var row = analyst.Locator($"#alert-queue tr[data-alert-id='{alertId}']");
        await Assertions.Expect(row.Locator(".chat-mark")).ToHaveTextAsync("QQ群");
        await Assertions.Expect(row).ToContainTextAsync("学习资料：出售2026年中考各科答案");
        await ScreenshotAsync(analyst, "chat-queue");

        // Its page: the sender with their QQ number, the line of the export, and five messages before and after it.
        await row.Locator("a[href^='/Alerts/Detail/']").First.ClickAsync();
        await Assertions.Expect(analyst.Locator("#chat-sender")).ToContainTextAsync("学习资料（33334444）");
        await Assertions.Expect(analyst.Locator("#chat-group")).ToContainTextAsync(group);
        var context = analyst.Locator("#chat-context li");
        await Assertions.Expect(context).ToHaveCountAsync(11);
        var texts = await analyst.Locator("#chat-context li .post-text").AllInnerTextsAsync();
        Assert.Equal(["第 2 条：大家好", "第 3 条：收到", "第 4 条：收到", "第 5 条：明天几点到校？", "第 6 条：七点半", Offer, "第 7 条：这是骗子吧", "第 8 条：别加", "第 9 条：已举报", "第 10 条：谢谢提醒", "第 11 条：大家早点休息"], texts);
        await Assertions.Expect(analyst.Locator("#chat-context li.current mark").First).ToBeVisibleAsync();
        await Assertions.Expect(analyst.Locator("#chat-context li.current")).ToContainTextAsync("本条");
        await ScreenshotAsync(analyst, "chat-alert-detail");

        // The same sender offers again in another group: their alerts link by the sender's QQ number.
        await using (var scope = Demo.Server.App.Services.CreateAsyncScope())
        {
            var registry = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Sources.SourceRegistry>();
            var other = await registry.AddAsync(
                new ExamNetWatch.Dashboard.Sources.SourceRegistration(name + "-二班", [], [], "某教考院〔2026〕5号", "某市教育考试院", string.Empty, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc), "王老师")
                {
                    Kind = SourceKinds.QqGroup,
                    ChatGroupId = group + "2",
                    ChatMember = "王老师",
                },
                CancellationToken.None);
            string[] second = ["消息记录（此消息记录为文本格式，不支持重新导入）", string.Empty, "消息对象:初三二班家长群", string.Empty, "2026-06-18 08:00:00 学习资料(33334444)", "各科答案还有，考前发，加微信 zk2026xx", string.Empty];
            var imported = await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Chat.ChatImporter>()
                .ImportAsync(other.Id, "二班.txt", Encoding.UTF8.GetBytes(string.Join("\n", second)), "王老师", null, CancellationToken.None);
            Assert.Equal(1, imported.Alerts);
        }

        await analyst.ReloadAsync();
        await Assertions.Expect(analyst.Locator("#chat-sender-others")).ToContainTextAsync("该发送者另有 1 条告警");

        // The statistics count alerts per channel.
        await analyst.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Stats").ToString());
        await Assertions.Expect(analyst.Locator("#stats-channels .channel[data-kind='qq-group']")).ToContainTextAsync("QQ群");
        await ScreenshotAsync(analyst, "chat-stats");

        // Search finds the message, marked as a group chat's and not linked as a web page.
        // (The index is written shortly after the post is stored: the search is asked again until it is there.)
        var hit = analyst.Locator("#search-results li", new() { HasText = "zk2026da" }).First;
        Assert.True(await Demo.WaitUntilAsync(async _ =>
        {
            await analyst.GotoAsync(new Uri(Demo.Server.DashboardUrl, "Search?q=zk2026da").ToString());
            return await hit.CountAsync() > 0;
        }), "the chat message was not found by search");
        await Assertions.Expect(hit.Locator(".chat-mark")).ToHaveTextAsync("QQ群");
        await Assertions.Expect(hit.Locator("a[href^='chat:']")).ToHaveCountAsync(0);
        await ScreenshotAsync(analyst, "chat-search");
    }

    /// <summary>A page of the 1280×720 screen an analyst on duty uses, in Chinese.</summary>
    private Task<IPage> NewAnalystScreenPageAsync() => NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 }, Locale = "zh-CN" });

    /// <summary>Keeps every text the upload's state line shows, in order, in <c>window.uploadStates</c>.</summary>
    private static async Task RecordUploadStatesAsync(IPage page) => await page.EvaluateAsync(
        """
        () => {
            window.uploadStates = [];
            const state = document.getElementById("chat-import-state");
            new MutationObserver(() => window.uploadStates.push(state.textContent)).observe(state, { childList: true, characterData: true, subtree: true });
        }
        """);

    /// <summary>A QQ message manager export of twelve messages sent a minute apart (two in the same second), the offer seventh.</summary>
    private static string[] Export(string group)
    {
        var lines = new List<string>
        {
            "消息记录（此消息记录为文本格式，不支持重新导入）",
            string.Empty,
            new('=', 64),
            "消息分组:我的群聊",
            new('=', 64),
            "消息对象:初三家长群(" + group + ")",
            new('=', 64),
            string.Empty,
        };
        string[] before = ["第 1 条：明天上午九点考语文", "第 2 条：大家好", "第 3 条：收到", "第 4 条：收到", "第 5 条：明天几点到校？", "第 6 条：七点半"];
        string[] after = ["第 7 条：这是骗子吧", "第 8 条：别加", "第 9 条：已举报", "第 10 条：谢谢提醒", "第 11 条：大家早点休息"];
        var minute = 0;
        foreach (var text in before)
        {
            lines.AddRange([$"2026-06-17 21:{minute++:00}:00 家长-{minute}(1000{minute:0000})", text, string.Empty]);
        }

        lines.AddRange([$"2026-06-17 21:{minute:00}:00 学习资料(33334444)", Offer, string.Empty]);
        foreach (var text in after)
        {
            // The first reply comes in the same second as the offer: the order of the export decides.
            lines.AddRange([$"2026-06-17 21:{minute:00}:00 家长-{minute + 10}(2000{minute:0000})", text, string.Empty]);
            minute++;
        }

        return [.. lines];
    }
}
