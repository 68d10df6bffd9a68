using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>The server certificate an HTTPS page came with, as evidence records it.</summary>
public sealed record TlsCertificateInfo(string Protocol, string Sha256, string Subject, string Issuer, DateTime NotBeforeUtc, DateTime NotAfterUtc, string DerBase64)
{
    /// <summary>Gets the validity window as one line (UTC).</summary>
    public string Validity => string.Create(CultureInfo.InvariantCulture, $"{NotBeforeUtc:yyyy-MM-dd'T'HH:mm:ss'Z'} / {NotAfterUtc:yyyy-MM-dd'T'HH:mm:ss'Z'}");
}

/// <summary>
/// Validates HTTPS servers as usual (plus certificates the authority trusts by SHA-256, for its own network's CA-less
/// servers) and remembers the certificate each host presented at the last TLS handshake, so every fetched page can
/// record the certificate of the connection that carried it.
/// </summary>
public sealed class TlsObserver(IOptions<FetcherOptions> options)
{
    private readonly ConcurrentDictionary<string, TlsCertificateInfo> _byHost = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The validation callback for the crawler's handler.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        var der = certificate.GetRawCertData();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(der));
        var trusted = errors == SslPolicyErrors.None || options.Value.TrustedCertificateSha256.Contains(sha256, StringComparer.OrdinalIgnoreCase);
        if (trusted && sender is SslStream stream)
        {
            using var parsed = X509CertificateLoader.LoadCertificate(der);
            _byHost[stream.TargetHostName] = new TlsCertificateInfo(
                stream.SslProtocol.ToString(),
                sha256,
                parsed.Subject,
                parsed.Issuer,
                parsed.NotBefore.ToUniversalTime(),
                parsed.NotAfter.ToUniversalTime(),
                Convert.ToBase64String(der));
        }

        return trusted;
    }

    /// <summary>Returns the certificate <paramref name="host"/> presented at its last handshake, if any.</summary>
    public TlsCertificateInfo? For(string host) => _byHost.TryGetValue(host, out var info) ? info : null;
}
