using System.Net;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Security;

/// <summary>Every route of the running dashboard, taken from its own endpoint table, refuses anyone not signed in.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class RouteTableTests(DemoServerFixture demo)
{
    // The language switch is open so the login page can switch too; it only sets a cookie (tested below).
    private static readonly HashSet<string> Anonymous = new(StringComparer.OrdinalIgnoreCase) { "/Account/Login", "/Language" };

    [Fact]
    public async Task EveryRoute_NotSignedIn_RedirectsToLoginForGetAndPost()
    {
        // Each route with the methods it answers (pages: GET and POST handlers; mapped endpoints: their own).
        var endpoints = demo.Server.App.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Select(e => (Route: Sample(e.RoutePattern.RawText ?? string.Empty), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"]))
            .Where(e => !Anonymous.Contains(e.Route))
            .DistinctBy(e => e.Route, StringComparer.OrdinalIgnoreCase)
            .OrderBy(e => e.Route, StringComparer.Ordinal)
            .ToList();
        var routes = endpoints.Select(e => e.Route).ToList();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = demo.Server.DashboardUrl };

        var failures = new List<string>();
        foreach (var (route, methods) in endpoints)
        {
            foreach (var method in methods.Select(m => new HttpMethod(m)))
            {
                using var response = await client.SendAsync(new HttpRequestMessage(method, route.TrimStart('/')));
                var location = response.Headers.Location?.ToString() ?? string.Empty;
                if (response.StatusCode != HttpStatusCode.Redirect || !location.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{method} {route} → {(int)response.StatusCode} {location}");
                }
            }
        }

        Assert.Contains("/Search", routes);
        Assert.Contains("/hangfire/x", routes);
        Assert.Contains("/Alerts/Detail/1", routes);
        Assert.Contains("/events/alerts", routes);
        Assert.Contains("/Sources/Detail/1", routes);
        Assert.Contains("/Settings", routes);
        Assert.Contains("/Stats", routes);
        Assert.Contains("/Rules", routes);
        Assert.Contains("/Exams", routes);
        Assert.True(routes.Count >= 8, string.Join(", ", routes));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task LoginPage_IsTheOnlyPageOpenToAnyone()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = demo.Server.DashboardUrl };

        using var response = await client.GetAsync("Account/Login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/Search", "/Search")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/x", "/")]
    public async Task LanguageSwitch_SetsTheCookieAndReturnsOnlyToALocalPage(string returnUrl, string expected)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = demo.Server.DashboardUrl };

        using var response = await client.GetAsync($"Language?lang=en&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.ToString());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("examnetwatch.lang=c%3Dzh-CN%7Cuic%3Den", StringComparison.Ordinal));
    }

    /// <summary>A concrete path for a route pattern: parameters get a sample value, catch-alls one segment.</summary>
    private static string Sample(string pattern)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*\*?[^}]*\}", "x");
        path = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]*\}", "1");
        return "/" + path.Trim('/');
    }
}
