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
}
