using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// An RFC 3161 timestamp authority on loopback, built with BouncyCastle: a self-signed RSA certificate with the
/// critical time-stamping key usage, SHA-256 tokens with the signing-certificate attribute, answering
/// <c>application/timestamp-query</c> posts as a real TSA does.
/// </summary>
public sealed class LocalTsa : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalTsa(WebApplication app, Uri url, X509Certificate2 certificate)
    {
        _app = app;
        Url = url;
        Certificate = certificate;
    }

    public Uri Url { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>Gets how many timestamps were issued.</summary>
    public int Issued { get; private set; }

    /// <summary>Gets or sets how far this TSA's clock is off (a TSA that dates tokens at will).</summary>
    public TimeSpan ClockOffset { get; set; }

    public static async Task<LocalTsa> StartAsync()
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExamNetWatch Test TSA, O=Test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.8")], critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        var now = TimeProvider.System.GetUtcNow();
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var bcCertificate = DotNetUtilities.FromX509Certificate(certificate);
        var bcKey = DotNetUtilities.GetRsaKeyPair(rsa).Private;
        var generator = new TimeStampTokenGenerator(bcKey, bcCertificate, TspAlgorithms.Sha256, "1.3.6.1.4.1.99999.1");
        generator.SetCertificates(CollectionUtilities.CreateStore(new[] { bcCertificate }));
        var responses = new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        LocalTsa? tsa = null;
        app.MapPost("/tsa", async (HttpRequest http) =>
        {
            using var body = new MemoryStream();
            await http.Body.CopyToAsync(body);
            var query = new TimeStampRequest(body.ToArray());
            var response = responses.Generate(query, new BigInteger(1, RandomNumberGenerator.GetBytes(8)), TimeProvider.System.GetUtcNow().UtcDateTime + tsa!.ClockOffset);
            tsa.Issued++;
            return Results.Bytes(response.GetEncoded(), "application/timestamp-reply");
        });
        await app.StartAsync();
        var url = new Uri(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "tsa");
        tsa = new LocalTsa(app, url, certificate);
        return tsa;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
