using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExamNetWatch.Crawler.Tests.Fetching;

/// <summary>HTTPS pages carry the server certificate of their connection into the capture; untrusted servers are refused.</summary>
public sealed class TlsCaptureTests : IAsyncLifetime
{
    private X509Certificate2 _certificate = null!;
    private WebApplication _server = null!;
    private Uri _base = null!;

    private string Sha256 => Convert.ToHexStringLower(SHA256.HashData(_certificate.RawData));

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=bbs.exam-authority.test, O=某市教育考试院", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _server = builder.Build();
        _server.MapGet("/forum.php", () => Microsoft.AspNetCore.Http.Results.Content("<html><body>考场内部论坛</body></html>", "text/html; charset=utf-8"));
        await _server.StartAsync();
        _base = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificate.Dispose();
    }

    [Fact]
    public async Task FetchAsync_CertificateNobodyVouchesFor_Refused()
    {
        using var services = new CrawlerServices(o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => services.Get<IPageFetcher>().FetchAsync(Request(), CancellationToken.None));

        // The handshake was refused over the certificate (not a refused connection, a timeout or an HTTP error).
        var handshake = Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
        Assert.Contains("certificate", handshake.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task FetchAsync_TrustedCertificate_PageAndCaptureCarryIt()
    {
        using var services = new CrawlerServices(o => o.TrustedCertificateSha256.Add(Sha256));

        var page = await services.Get<IPageFetcher>().FetchAsync(Request(), CancellationToken.None);
        var capture = await services.Get<ICaptureWriter>().SaveAsync(page, CancellationToken.None);
        var record = services.Get<ICaptureReader>().Read(capture);

        Assert.NotNull(page.Tls);
        Assert.Equal(Sha256, page.Tls.Sha256);
        Assert.Contains("CN=bbs.exam-authority.test", page.Tls.Subject, StringComparison.Ordinal);
        Assert.StartsWith("Tls1", page.Tls.Protocol, StringComparison.Ordinal);
        Assert.Equal(Sha256, record.Field(TlsFields.Sha256));
        Assert.Equal(_certificate.RawData, Convert.FromBase64String(record.Field(TlsFields.Certificate)!));
        Assert.Equal(WarcDigest.Sha256(record.Block.Span), record.Field("WARC-Block-Digest"));
    }

    private FetchRequest Request() =>
        new(new Uri(_base, "forum.php"), new CrawlScope([_base]), new SourcePolicy(AllowPrivateNetwork: true, IgnoreRobots: true));
}
