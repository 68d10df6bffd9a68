using System.Net;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Security;

/// <summary>
/// Every route and handler of the running dashboard, read from its own endpoint table, tried by every role —
/// anonymous, Viewer, Analyst, Admin — with and without an antiforgery token. A handler the table below does not
/// name fails the test, so a new endpoint cannot ship without saying who may use it.
/// </summary>
public sealed partial class RouteRoleMatrixTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Who may use a route: anyone, any signed-in account, triage roles (Admin, Analyst), or Admin only.</summary>
    public enum Access
    {
        Anyone,
        Staff,
        Triage,
        Admin,
    }

    private enum Role
    {
        Anonymous,
        Viewer,
        Analyst,
        Admin,
    }

    /// <summary>The authorisation rules of the dashboard, one line per method, route and handler.</summary>
    private static readonly Dictionary<string, Access> Rules = new(StringComparer.Ordinal)
    {
        ["GET /"] = Access.Staff,
        ["POST / Bulk"] = Access.Triage,
        ["GET /Account/AccessDenied"] = Access.Staff,
        ["GET /Account/Login"] = Access.Anyone,
        // The orchestrator's probes: no data, no error text.
        ["GET /healthz"] = Access.Anyone,
        ["GET /readyz"] = Access.Anyone,
        ["POST /Account/Login"] = Access.Anyone,
        ["GET /Account/Logout"] = Access.Staff,
        ["POST /Account/Logout"] = Access.Staff,
        ["GET /Alerts/Capture/1"] = Access.Staff,
        ["GET /Alerts/Detail/1"] = Access.Staff,
        ["POST /Alerts/Detail/1 Acknowledge"] = Access.Triage,
        ["POST /Alerts/Detail/1 Assign"] = Access.Triage,
        ["POST /Alerts/Detail/1 Close"] = Access.Triage,
        ["POST /Alerts/Detail/1 Escalate"] = Access.Triage,
        ["POST /Alerts/Detail/1 Receipt"] = Access.Triage,
        ["POST /Alerts/Detail/1 Note"] = Access.Triage,
        ["POST /Alerts/Detail/1 Reopen"] = Access.Triage,
        ["POST /Alerts/Detail/1 Tag"] = Access.Triage,
        ["POST /Alerts/Detail/1 Take"] = Access.Triage,
        ["POST /Alerts/Detail/1 Untag"] = Access.Triage,
        ["GET /Alerts/Related"] = Access.Staff,
        ["GET /Audit"] = Access.Admin,
        ["GET /Error"] = Access.Staff,
        ["GET /Evidence/Export"] = Access.Triage,
        ["POST /Evidence/Export"] = Access.Triage,
        ["GET /Exams"] = Access.Staff,
        ["POST /Exams Add"] = Access.Admin,
        ["POST /Exams Delete"] = Access.Admin,
        ["GET /Language"] = Access.Anyone,
        ["GET /Reports/SpecialCheck"] = Access.Triage,
        ["POST /Reports/SpecialCheck"] = Access.Triage,
        ["GET /Rules"] = Access.Staff,
        ["GET /Rules Export"] = Access.Staff,
        ["POST /Rules Add"] = Access.Admin,
        ["POST /Rules Import"] = Access.Admin,
        ["POST /Rules Remove"] = Access.Admin,
        ["GET /Rules/Try"] = Access.Staff,
        ["POST /Rules/Try"] = Access.Staff,
        ["GET /Search"] = Access.Staff,
        ["GET /Settings"] = Access.Admin,
        ["POST /Settings AddWebhook"] = Access.Admin,
        ["POST /Settings Email"] = Access.Admin,
        ["POST /Settings General"] = Access.Admin,
        ["POST /Settings RemoveWebhook"] = Access.Admin,
        ["POST /Settings Test"] = Access.Admin,
        ["GET /Sources"] = Access.Staff,
        ["GET /Sources/Detail/1"] = Access.Staff,
        ["POST /Sources/Detail/1 Authorise"] = Access.Admin,
        ["POST /Sources/Detail/1 Enable"] = Access.Admin,
        ["POST /Sources/Detail/1 Import"] = Access.Triage,
        ["POST /Sources/Detail/1 Revoke"] = Access.Admin,
        ["POST /Sources/Detail/1 Run"] = Access.Admin,
        ["POST /Sources/Detail/1 Sweep"] = Access.Admin,
        ["GET /Sources/Edit/1"] = Access.Admin,
        ["POST /Sources/Edit/1"] = Access.Admin,
        ["GET /Stats"] = Access.Staff,
        ["GET /Users"] = Access.Admin,
        ["POST /Users Add"] = Access.Admin,
        ["POST /Users Enable"] = Access.Admin,
        ["POST /Users Reset"] = Access.Admin,
        ["POST /Users Role"] = Access.Admin,
        ["GET /events/alerts"] = Access.Staff,
        ["GET /hangfire/x"] = Access.Admin,
        ["POST /hangfire/x"] = Access.Admin,
    };

    private readonly Dictionary<Role, string> _passwords = [];
    private TestServer _test = null!;

    private RunningServer Server => _test.Server;

    public async Task InitializeAsync()
    {
        _test = await TestServer.StartAsync("matrix", dataDir => new HostSettings(dataDir, "http://127.0.0.1:0", "0 0 1 1 *"));
        _passwords[Role.Admin] = Server.Password!;
        await using var scope = Server.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var accounts = services.GetRequiredService<AccountBootstrap>();
        _passwords[Role.Analyst] = (await accounts.EnsureAsync("analyst", StaffRoles.Analyst, resetPassword: false))!;
        _passwords[Role.Viewer] = (await accounts.EnsureAsync("viewer", StaffRoles.Viewer, resetPassword: false))!;

        // Something for every route with an id to refuse on: source 1 with a post and its alert 1, exam slot 1. The
        // source's address is loopback on a closed port, so nothing ever leaves the machine.
        var db = services.GetRequiredService<WatchDbContext>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var source = await services.GetRequiredService<SourceRegistry>().AddAsync(
            TestSources.Registration(now) with { EntryUrls = ["http://127.0.0.1:9/forum.php?mod=forumdisplay&fid=2"], ScopePrefixes = ["http://127.0.0.1:9/forum.php"] },
            CancellationToken.None);
        await services.GetRequiredService<PostIngestor>().AcceptAsync(
            TestPosts.Crawled(source.Id, "t1", "p1", "出售中考答案，考前一天发，加微信 kaoqian2026，每科 200 元", title: "中考答案", author: "卖家"),
            CancellationToken.None);
        db.ExamSlots.Add(new ExamSlot { Exam = "2027 中考", Subject = "语文", StartsAtUtc = now.AddDays(30), EndsAtUtc = now.AddDays(30).AddHours(2) });
        await db.SaveChangesAsync();
        Assert.Equal(1, await db.Alerts.CountAsync());
    }

    public async Task DisposeAsync() => await _test.DisposeAsync();

    [Fact]
    public async Task EveryHandler_EveryRole_WithAndWithoutToken_IsAllowedOrRefusedAsTheRulesSay_AndRefusalsChangeNothing()
    {
        var handlers = await HandlersAsync();
        var keys = handlers.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        var unruled = keys.Where(k => !Rules.ContainsKey(k)).ToList();
        var stale = Rules.Keys.Where(k => !keys.Contains(k)).ToList();
        Assert.True(unruled.Count == 0, "endpoints without a rule in RouteRoleMatrixTests.Rules:\n" + string.Join("\n", unruled));
        Assert.True(stale.Count == 0, "rules for endpoints that no longer exist:\n" + string.Join("\n", stale));

        var failures = new List<string>();
        var tried = 0;
        foreach (var role in Enum.GetValues<Role>())
        {
            using var client = await SignedInAsync(role);
            var token = role == Role.Anonymous ? await TokenAsync(client, "Account/Login") : await TokenAsync(client, string.Empty);

            // Signing out ends the session, so it goes last.
            foreach (var handler in handlers.OrderBy(h => h.Key == "POST /Account/Logout"))
            {
                var allowed = Allows(Rules[handler.Key], role);
                var auditBefore = await AuditCountAsync();
                var outcome = await SendAsync(client, handler, allowed ? null : "1", token);
                tried++;
                var refused = Refused(outcome, role);
                if (allowed == refused || (int)outcome.Status >= 500)
                {
                    failures.Add($"{role,-9} {handler.Key} → {(int)outcome.Status} {outcome.Location} (expected {(allowed ? "allowed" : "refused")})");
                }

                if (!allowed && await AuditCountAsync() != auditBefore)
                {
                    failures.Add($"{role,-9} {handler.Key} was refused but wrote to the audit log");
                }

                if (handler.Method == "POST" && handler.Key != "POST /Account/Logout")
                {
                    // The same request without the antiforgery token never gets through, whatever the role.
                    auditBefore = await AuditCountAsync();
                    var tokenless = await SendAsync(client, handler, "1", token: null);
                    tried++;
                    if (tokenless.Status != HttpStatusCode.BadRequest && !Refused(tokenless, role))
                    {
                        failures.Add($"{role,-9} {handler.Key} without a token → {(int)tokenless.Status} {tokenless.Location}");
                    }

                    if (await AuditCountAsync() != auditBefore)
                    {
                        failures.Add($"{role,-9} {handler.Key} without a token wrote to the audit log");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} requests:\n" + string.Join("\n", failures));
        Assert.True(handlers.Count(h => h.Method == "POST") >= 35, $"{handlers.Count(h => h.Method == "POST")} POST handlers");
        Assert.True(handlers.Count(h => h.Method == "GET") >= 20, $"{handlers.Count(h => h.Method == "GET")} GET handlers");
        output.WriteLine($"reliability: route × role matrix: {handlers.Count} handlers ({handlers.Count(h => h.Method == "POST")} POST, {handlers.Count(h => h.Method == "GET")} GET) × 4 roles, POSTs also without a token: {tried} requests, 0 wrong");
    }

    private static bool Allows(Access access, Role role) => access switch
    {
        Access.Anyone => true,
        Access.Staff => role != Role.Anonymous,
        Access.Triage => role is Role.Analyst or Role.Admin,
        _ => role == Role.Admin,
    };

    /// <summary>Anonymous users are sent to sign in; signed-in users to "access denied" (or 403).</summary>
    private static bool Refused((HttpStatusCode Status, string Location) outcome, Role role) =>
        role == Role.Anonymous
            ? outcome.Status == HttpStatusCode.Redirect && outcome.Location.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase)
            : outcome.Status == HttpStatusCode.Forbidden
              || (outcome.Status == HttpStatusCode.Redirect && outcome.Location.Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Sends the handler's request. Refused attempts aim at the real source, alert and exam 1; allowed ones at an id
    /// that does not exist, so the matrix leaves the data as it found it.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string Location)> SendAsync(HttpClient client, Handler handler, string? id, string? token)
    {
        // Hangfire's catch-all: a real page of it, and a real command (triggering the outbox drain, which is harmless).
        var path = handler.Path == "/hangfire/x"
            ? handler.Method == "POST" ? "hangfire/recurring/trigger" : "hangfire/recurring"
            : handler.Path.Replace("/1", "/" + (id ?? "999999"), StringComparison.Ordinal).TrimStart('/');
        var query = handler.Name is null ? string.Empty : "?handler=" + handler.Name;
        using var request = new HttpRequestMessage(new HttpMethod(handler.Method), path + query);
        if (handler.Method == "POST")
        {
            var fields = new Dictionary<string, string> { ["id"] = id ?? "999999", ["line"] = "1", ["authorisation"] = "1", ["enable"] = "false", ["jobs[]"] = "notification-outbox" };
            if (token is not null)
            {
                fields["__RequestVerificationToken"] = token;
            }

            request.Content = new FormUrlEncodedContent(fields);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        return (response.StatusCode, response.Headers.Location?.ToString() ?? string.Empty);
    }

    private async Task<HttpClient> SignedInAsync(Role role)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Server.DashboardUrl };
        if (role == Role.Anonymous)
        {
            return client;
        }

        var token = await TokenAsync(client, "Account/Login");
        var userName = role switch { Role.Admin => Server.UserName, Role.Analyst => "analyst", _ => "viewer" };
        using var response = await client.PostAsync("Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = _passwords[role],
            ["__RequestVerificationToken"] = token,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{role} could not sign in: {(int)response.StatusCode}");
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenInput().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on /" + path);
    }

    private async Task<int> AuditCountAsync()
    {
        await using var scope = Server.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Audit.CountAsync();
    }

    /// <summary>Every (method, route, handler) of the endpoint table: Razor pages with their handler methods, mapped endpoints with their methods.</summary>
    private async Task<List<Handler>> HandlersAsync()
    {
        var services = Server.App.Services;
        var loader = services.GetRequiredService<PageLoader>();
        var handlers = new List<Handler>();
        foreach (var endpoint in services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var path = RoutePatterns.Sample(endpoint.RoutePattern.RawText ?? string.Empty);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                var methods = compiled.HandlerMethods.Select(h => new Handler(h.HttpMethod.ToUpperInvariant(), path, h.Name)).ToList();
                handlers.AddRange(methods.Count > 0 ? methods : [new Handler("GET", path, null)]);
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
                handlers.AddRange(methods.Select(m => new Handler(m, path, null)));
            }
        }

        return [.. handlers.DistinctBy(h => h.Key, StringComparer.Ordinal).OrderBy(h => h.Key, StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex TokenInput();

    private sealed record Handler(string Method, string Path, string? Name)
    {
        public string Key => Name is null ? $"{Method} {Path}" : $"{Method} {Path} {Name}";
    }
}
