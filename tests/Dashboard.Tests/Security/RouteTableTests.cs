using System.Net;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Security;

/// <summary>The two routes open to anyone: the login page and the language switch (every other route, with every role: <see cref="RouteRoleMatrixTests"/>).</summary>
[Collection(DemoServerGroup.Name)]
public sealed class RouteTableTests(DemoServerFixture demo)
{
    [Fact]
    public async Task LoginPage_IsTheOnlyPageOpenToAnyone()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = demo.Server.DashboardUrl };
        var open = new List<string>();
        var paths = demo.Server.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } m || m.HttpMethods.Contains("GET"))
            .Select(e => RoutePatterns.Sample(e.RoutePattern.RawText ?? string.Empty))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var path in paths)
        {
            using var response = await client.GetAsync(path.TrimStart('/'));
            var toLogin = response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase);
            if (!toLogin && response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                open.Add(path);
            }
        }

        // Besides the login page, only the language switch (a redirect back, no content) and the orchestrator's probes
        // (no data) answer someone who has not signed in.
        Assert.True(paths.Count > 20, $"only {paths.Count} routes were found in the endpoint table");
        Assert.Equal(["/Account/Login", "/Language", "/healthz", "/readyz"], open.Order(StringComparer.Ordinal));
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
}
