using System.Net;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// Running behind a reverse proxy that terminates TLS (configuration section <c>Proxy</c>): with <see cref="Enabled"/>,
/// <c>X-Forwarded-For/-Proto/-Host</c> are believed from the <see cref="KnownProxies"/> only, so the dashboard sees the
/// client's address (audit, sign-in throttle) and HTTPS (Secure cookies, HSTS).
/// </summary>
public sealed class ProxyOptions
{
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the proxies' addresses (e.g. <c>Proxy__KnownProxies__0=10.0.0.5</c>); loopback if none.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Gets or sets how long browsers keep to HTTPS after an HTTPS answer (HSTS max-age).</summary>
    public int HstsDays { get; set; } = 180;
}

/// <summary>Names the setting that is wrong.</summary>
public sealed class ProxyOptionsValidation : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"Proxy:KnownProxies:{i} ('{options.KnownProxies[i]}') is not an IP address.");
            }
        }

        if (options.HstsDays is < 0 or > 730)
        {
            failures.Add($"Proxy:HstsDays must be between 0 and 730 (is {options.HstsDays}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
