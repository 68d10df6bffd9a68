using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Notifications;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Notifications;

/// <summary>Notifications to a generic webhook, a DingTalk robot (signed) and a WeCom robot, all local receivers on loopback.</summary>
[Trait(StoreTrait.Name, StoreTrait.Any)]
public sealed partial class AlertNotifierTests : IAsyncLifetime
{
    private const string Secret = "SEC0123456789abcdef";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 20, 1, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentQueue<(string Path, string Query, JsonNode Body)> _received = new();
    private WebApplication _receiver = null!;
    private Uri _base = null!;
    private TempDatabase _database = null!;
    private readonly string _keys = Path.Combine(Path.GetTempPath(), "enw-keys-" + Guid.NewGuid().ToString("N"));
    private long _alertId;
    private int _wecomFailures;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _receiver = builder.Build();
        _receiver.MapPost("/{**path}", async (HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            var path = request.Path.Value!;
            if (path.StartsWith("/secret-", StringComparison.Ordinal))
            {
                return path == "/secret-page"
                    ? Results.Text("internal-only: db password 123", statusCode: 500)
                    : Results.Text("{\"users\": [\"internal-only admin\"]}", "application/json");
            }

            if (path.StartsWith("/wecom", StringComparison.Ordinal) && Interlocked.Decrement(ref _wecomFailures) >= 0)
            {
                return Results.Json(new { errcode = 45009, errmsg = "api freq out of limit" });
            }

            _received.Enqueue((path, request.QueryString.Value ?? string.Empty, body));
            return path.StartsWith("/hook", StringComparison.Ordinal) ? Results.Ok() : Results.Json(new { errcode = 0, errmsg = "ok" });
        });
        await _receiver.StartAsync();
        _base = new Uri(_receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        _database = await TempDatabase.CreateAsync();
        await using var db = _database.NewContext();
        var source = new Source { Name = "某论坛", EntryUrls = "", ScopePrefixes = "", Schedule = "" };
        db.Sources.Add(source);
        await db.SaveChangesAsync();
        db.Posts.Add(new Post
        {
            Id = "p1", SourceId = source.Id, ThreadId = "1", ForumPostId = "1", Url = "http://127.0.0.1/t/1", ThreadTitle = "t", Text = "出售作弊器", Html = "",
            CaptureSha256 = "x", WarcFile = "f", WarcRecordId = "r", ContentHash = "h", DetectionJson = "{}",
        });
        var alert = new Alert { PostId = "p1", SourceId = source.Id, Title = "出售作弊器", Categories = "device", MatchedTerms = "作弊器", Severity = 4, Score = 0.93, CreatedAtUtc = _time.GetUtcNow().UtcDateTime };
        db.Alerts.Add(alert);
        await db.SaveChangesAsync();
        _alertId = alert.Id;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public async Task CriticalAlert_ReachesEveryTargetInItsDocumentedFormat_DingTalkSigned()
    {
        await SendAsync();

        var hook = Assert.Single(_received, r => r.Path == "/hook");
        Assert.Equal(("alert.raised", _alertId, "critical", "某论坛"), (hook.Body["event"]!.GetValue<string>(), hook.Body["id"]!.GetValue<long>(), hook.Body["severity"]!.GetValue<string>(), hook.Body["source"]!.GetValue<string>()));
        Assert.Equal($"https://watch.test/Alerts/Detail/{_alertId}", hook.Body["url"]!.GetValue<string>());

        var ding = Assert.Single(_received, r => r.Path == "/dingtalk");
        Assert.Equal("markdown", ding.Body["msgtype"]!.GetValue<string>());
        Assert.Contains("出售作弊器", ding.Body["markdown"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(ding.Query);
        var timestamp = query["timestamp"]!;
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + "\n" + Secret)));
        Assert.Equal(expected, query["sign"]);

        var wecom = Assert.Single(_received, r => r.Path == "/wecom");
        Assert.Equal("markdown", wecom.Body["msgtype"]!.GetValue<string>());
        Assert.Contains("严重", wecom.Body["markdown"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SentTwice_EachTargetHearsOfTheAlertOnce()
    {
        await SendAsync();
        await SendAsync();

        Assert.Equal(3, _received.Count);
    }

    [Fact]
    public async Task TargetRefusesOnce_RetrySendsOnlyToIt()
    {
        _wecomFailures = 1;

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync());
        Assert.Equal(2, _received.Count);
        await SendAsync();

        Assert.Equal(3, _received.Count);
        Assert.Single(_received, r => r.Path == "/wecom");
    }

    [Fact]
    public async Task BelowTheConfiguredSeverity_NothingIsSent()
    {
        await using (var db = _database.NewContext())
        {
            await db.Alerts.ExecuteUpdateAsync(u => u.SetProperty(a => a.Severity, 2));
        }

        await SendAsync();

        Assert.Empty(_received);
    }

    [Fact]
    public async Task TestAsync_OneTargetDown_ReportsEachTargetAndRecordsNoDelivery()
    {
        _wecomFailures = 1;
        var options = new NotificationOptions
        {
            Webhooks =
            [
                new WebhookTarget { Kind = "webhook", Url = new Uri(_base, "hook") },
                new WebhookTarget { Kind = "wecom", Url = new Uri(_base, "wecom?key=k") },
            ],
        };
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        await using var db = _database.NewContext();

        var results = await new AlertNotifier(db, options, services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance).TestAsync(options, "管理员", CancellationToken.None);

        Assert.Null(results.Single(r => r.Target.StartsWith("webhook:", StringComparison.Ordinal)).Error);
        var wecomError = results.Single(r => r.Target.StartsWith("wecom:", StringComparison.Ordinal)).Error;
        Assert.Contains("errcode 45009", wecomError, StringComparison.Ordinal);
        Assert.DoesNotContain("api freq", wecomError, StringComparison.Ordinal);
        var (_, _, body) = Assert.Single(_received);
        Assert.Contains("测试消息", body.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.False(await db.NotificationDeliveries.AnyAsync());
    }

    [Fact]
    public async Task TestAsync_TargetAnsweringWithABody_ShowsItsStatusOnly()
    {
        // A "webhook" pointed at an internal page must not become a way to read it.
        var options = new NotificationOptions { Webhooks = [new WebhookTarget { Kind = "webhook", Url = new Uri(_base, "secret-page") }, new WebhookTarget { Kind = "dingtalk", Url = new Uri(_base, "secret-json") }] };
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        await using var db = _database.NewContext();

        var results = await new AlertNotifier(db, options, services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance).TestAsync(options, "管理员", CancellationToken.None);

        Assert.All(results, r => Assert.NotNull(r.Error));
        Assert.Contains(results, r => r.Error!.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Error!.Contains("HTTP 200 without an errcode", StringComparison.Ordinal));
        Assert.All(results, r => Assert.DoesNotContain("internal-only", r.Error!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Targets_OnLoopbackWithoutPermission_AreRefusedByTheSsrfGuard_WithPermissionReached()
    {
        var services = new ServiceCollection();
        AlertNotifier.AddHttpClient(services);
        await using var provider = services.BuildServiceProvider();
        await using var db = _database.NewContext();
        var closed = new NotificationOptions
        {
            Webhooks = [new WebhookTarget { Kind = "webhook", Url = new Uri(_base, "hook") }],
            Email = new EmailTarget { Host = "127.0.0.1", Port = 25, From = "watch@example.test", To = ["duty@example.test"] },
        };

        var refused = await new AlertNotifier(db, closed, provider.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance).TestAsync(closed, "管理员", CancellationToken.None);

        Assert.Equal(2, refused.Count);
        Assert.All(refused, r => Assert.Contains("Refused 127.0.0.1", r.Error, StringComparison.Ordinal));
        Assert.Empty(_received);
        var open = closed with { AllowPrivateNetwork = true, Email = null };
        var reached = await new AlertNotifier(db, open, provider.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance).TestAsync(open, "管理员", CancellationToken.None);
        Assert.Null(Assert.Single(reached).Error);
        Assert.Single(_received);
    }

    [Fact]
    public async Task CrawledTitle_InRobotMarkdown_CannotLinkEmbedOrMentionEveryone()
    {
        await using (var db = _database.NewContext())
        {
            await db.Alerts.ExecuteUpdateAsync(u => u.SetProperty(a => a.Title, "[点我领答案](http://evil.test/x) ![图](http://evil.test/a.png) @所有人 **加急** <font color=\"warning\">红</font>"));
        }

        await SendAsync();

        foreach (var text in new[] { _received.Single(r => r.Path == "/dingtalk").Body["markdown"]!["text"]!.GetValue<string>(), _received.Single(r => r.Path == "/wecom").Body["markdown"]!["content"]!.GetValue<string>() })
        {
            Assert.Contains(@"\[点我领答案\]\(http://evil\.test/x\)", text, StringComparison.Ordinal);
            Assert.Contains(@"\!\[图\]", text, StringComparison.Ordinal);
            Assert.DoesNotContain("@", text, StringComparison.Ordinal);
            Assert.Contains("＠所有人", text, StringComparison.Ordinal);
            Assert.DoesNotContain("<font", text, StringComparison.Ordinal);
        }

        // The JSON webhook carries the title as data, unchanged.
        Assert.StartsWith("[点我领答案](http://evil.test/x)", _received.Single(r => r.Path == "/hook").Body["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_TargetRefusesOnce_TheRowWaitsWithItsReason_ThenEveryTargetHasItOnceAndTheRowIsGone()
    {
        _wecomFailures = 1;
        await using (var db = _database.NewContext())
        {
            NotificationOutbox.Enqueue(db, _alertId, _time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, await DrainAsync());
        await using (var db = _database.NewContext())
        {
            var waiting = await db.NotificationOutbox.SingleAsync();
            Assert.Equal(1, waiting.Attempts);
            Assert.Equal(_time.GetUtcNow().UtcDateTime.AddSeconds(30), waiting.NextAttemptAtUtc);
            Assert.Contains("wecom", waiting.LastError, StringComparison.Ordinal);
            Assert.DoesNotContain("api freq", waiting.LastError, StringComparison.Ordinal);
            Assert.Null(waiting.LeaseOwner);
        }

        // Not due yet: nothing is sent; once due, only the target that refused hears of it.
        Assert.Equal(0, await DrainAsync());
        Assert.Equal(2, _received.Count);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await DrainAsync());

        Assert.Equal(3, _received.Count);
        Assert.Single(_received, r => r.Path == "/wecom");
        await using var check = _database.NewContext();
        Assert.False(await check.NotificationOutbox.AnyAsync());
        Assert.Equal(0, await DrainAsync());
    }

    private async Task<int> DrainAsync()
    {
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        await using var db = _database.NewContext();
        var notifier = new AlertNotifier(db, Targets(), services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance);
        return await new NotificationOutbox(db, notifier, _time, NullLogger<NotificationOutbox>.Instance).DrainAsync(CancellationToken.None);
    }

    [Fact]
    public async Task NotificationSettings_SavedInTheDashboard_WinOverConfigurationAndAuditWithoutSecrets()
    {
        var configured = new NotificationOptions { MinSeverity = 4 };
        var protector = Protection(_keys).CreateProtector(NotificationSettings.SecretPurpose);
        await using var db = _database.NewContext();
        Assert.Same(configured, NotificationSettings.Load(db, configured, protector));

        var saved = new NotificationOptions { MinSeverity = 2, Webhooks = [new WebhookTarget { Kind = "dingtalk", Url = new Uri(_base, "dingtalk?access_token=t"), Secret = Secret }] };
        NotificationSettings.Save(db, new AuditLog(_time), saved, protector, "管理员", "127.0.0.1", _time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();

        await using var other = _database.NewContext();
        var loaded = NotificationSettings.Load(other, configured, protector);
        Assert.Equal(2, loaded.MinSeverity);
        Assert.Equal(Secret, Assert.Single(loaded.Webhooks).Secret);
        var entry = await other.Audit.SingleAsync(a => a.Action == "settings.notifications");
        Assert.DoesNotContain(Secret, entry.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotificationSecrets_AreStoredEncryptedWithTheInstallationsKeys()
    {
        const string password = "smtp-密码-42";
        var protector = Protection(_keys).CreateProtector(NotificationSettings.SecretPurpose);
        var saved = new NotificationOptions
        {
            Webhooks = [new WebhookTarget { Kind = "dingtalk", Url = new Uri(_base, "dingtalk?access_token=t"), Secret = Secret }],
            Email = new EmailTarget { Host = "127.0.0.1", User = "watch", Password = password, From = "watch@exam.test", To = ["duty@exam.test"] },
        };
        await using (var db = _database.NewContext())
        {
            NotificationSettings.Save(db, new AuditLog(_time), saved, protector, "管理员", null, _time.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        // The settings row — what a database backup holds — has neither secret, in any encoding a reader would try.
        await using var other = _database.NewContext();
        var row = (await other.Settings.SingleAsync(s => s.Key == NotificationSettings.Key)).Json;
        foreach (var secret in new[] { Secret, password })
        {
            Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret)), row, StringComparison.Ordinal);
            Assert.DoesNotContain(System.Text.Json.JsonSerializer.Serialize(secret), row, StringComparison.Ordinal);
        }

        // Another process of the same installation (same keys directory) reads them back.
        var loaded = NotificationSettings.Load(other, new NotificationOptions(), Protection(_keys).CreateProtector(NotificationSettings.SecretPurpose));
        Assert.Equal(Secret, Assert.Single(loaded.Webhooks).Secret);
        Assert.Equal(password, loaded.Email!.Password);

        // Keys of another installation cannot: the secrets read as missing, the rest of the settings stay.
        var foreign = NotificationSettings.Load(other, new NotificationOptions(), Protection(Path.Combine(_keys, "other")).CreateProtector(NotificationSettings.SecretPurpose));
        Assert.Null(Assert.Single(foreign.Webhooks).Secret);
        Assert.Null(foreign.Email!.Password);
        Assert.Equal("watch", foreign.Email.User);
    }

    private static Microsoft.AspNetCore.DataProtection.IDataProtectionProvider Protection(string keys) =>
        Microsoft.AspNetCore.DataProtection.DataProtectionProvider.Create(new DirectoryInfo(keys), b => Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(b, "ExamNetWatch"));

    private async Task SendAsync(EmailTarget? email = null)
    {
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        await using var db = _database.NewContext();
        await new AlertNotifier(db, Targets(email), services.GetRequiredService<IHttpClientFactory>(), _time, NullLogger<AlertNotifier>.Instance).SendAsync(_alertId, CancellationToken.None);
    }

    /// <summary>The three robots of the local receiver (on loopback, so private networks allowed), and an email target if given.</summary>
    private NotificationOptions Targets(EmailTarget? email = null) => new()
    {
        Email = email,
        AllowPrivateNetwork = true,
        DashboardUrl = new Uri("https://watch.test/"),
        Webhooks =
        [
            new WebhookTarget { Kind = "webhook", Url = new Uri(_base, "hook") },
            new WebhookTarget { Kind = "dingtalk", Url = new Uri(_base, "dingtalk?access_token=t"), Secret = Secret },
            new WebhookTarget { Kind = "wecom", Url = new Uri(_base, "wecom?key=k") },
        ],
    };
}
