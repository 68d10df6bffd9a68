using System.Net;
using System.Text.RegularExpressions;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>An HttpClient signed in to a dashboard through its login form, redirects not followed, cookies kept.</summary>
public static partial class SignedInClient
{
    /// <summary>Signs <paramref name="userName"/> in and returns the client and its cookies.</summary>
    public static async Task<(HttpClient Client, CookieContainer Cookies)> SignInAsync(Uri dashboard, string userName, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = dashboard };
        var token = await TokenAsync(client, "Account/Login");
        using var response = await client.PostAsync("Account/Login", Form(("UserName", userName), ("Password", password), ("__RequestVerificationToken", token)));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{userName} could not sign in: {(int)response.StatusCode}");
        return (client, cookies);
    }

    /// <summary>Reads the antiforgery token of the form on <paramref name="path"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(path);
        return TokenInput().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token on /" + path);
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    [GeneratedRegex(@"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex TokenInput();
}
