using System.Security.Cryptography;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// The response headers every dashboard page carries: a Content-Security-Policy that runs only this site's scripts
/// and the page's own inline scripts marked with the request's nonce (crawled text can never add a script that runs),
/// loads nothing from elsewhere and cannot be framed; plus X-Frame-Options, nosniff, Referrer-Policy and
/// Permissions-Policy. Hangfire's dashboard (admins only) keeps its own inline scripts and gets the rest.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "csp-nonce";

    /// <summary>Returns the CSP nonce of this request, for <c>&lt;script nonce="…"&gt;</c>.</summary>
    public static string Nonce(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceKey] is not string nonce)
        {
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
            context.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    /// <summary>Adds the headers to every response.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            var hangfire = context.Request.Path.StartsWithSegments("/hangfire", StringComparison.OrdinalIgnoreCase);
            headers.ContentSecurityPolicy = hangfire
                ? "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
                : $"default-src 'self'; script-src 'self' 'nonce-{Nonce(context)}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                  + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
