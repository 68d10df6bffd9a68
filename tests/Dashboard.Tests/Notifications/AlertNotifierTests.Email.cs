using System.Net;
using System.Text;
using ExamNetWatch.Dashboard.Notifications;
using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Notifications;

/// <summary>Email notifications through a local SMTP server: delivery once, STARTTLS and certificates, a server that is down.</summary>
public sealed partial class AlertNotifierTests
{
    [Fact]
    public async Task Email_ThroughALocalSmtpServer_OnceWithSubjectAndLink()
    {
        await using var smtp = new LocalSmtpServer();
        var email = new EmailTarget { Host = "127.0.0.1", Port = smtp.Port, Tls = "none", From = "watch@exam.test", To = ["duty@exam.test", "chief@exam.test"] };

        await SendAsync(email);
        await SendAsync(email);

        var (to, data) = Assert.Single(smtp.Messages);
        Assert.Equal(["duty@exam.test", "chief@exam.test"], to);
        var message = await MimeKit.MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data)));
        Assert.Equal($"【严重】考试舆情告警 #{_alertId}：出售作弊器", message.Subject);
        Assert.Contains($"https://watch.test/Alerts/Detail/{_alertId}", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_ServerOffersStartTls_TheMessageGoesEncrypted_TrustingAnInternalCertificateOnlyByItsPin()
    {
        using var certificate = MailServerCertificate();
        await using var smtp = new LocalSmtpServer(certificate);
        var email = new EmailTarget { Host = "127.0.0.1", Port = smtp.Port, From = "watch@exam.test", To = ["duty@exam.test"] };
        Assert.Equal("auto", email.Tls);

        // Self-signed and not pinned, or pinned to another certificate: refused, and not sent in the clear instead.
        var unpinned = await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(email));
        var otherPin = await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(email with { CertificateSha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("another server"u8)) }));
        Assert.Empty(smtp.Messages);
        Assert.Equal(2, smtp.StartTlsRequests);
        Assert.All(new[] { unpinned, otherPin }, e => Assert.Contains("certificate", e.Message, StringComparison.OrdinalIgnoreCase));

        // Pinned by its SHA-256 (colons, any case): sent, over TLS.
        var pin = string.Join(':', Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)));
        await SendAsync(email with { CertificateSha256 = pin });
        Assert.Single(smtp.Messages);
        Assert.True(Assert.Single(smtp.Protocols) is { } protocol && protocol >= System.Security.Authentication.SslProtocols.Tls12, "not sent over TLS 1.2 or later");

        // A pin that is not a SHA-256 is refused at start, naming the setting.
        Assert.Contains("CertificateSha256", Assert.Single(new NotificationOptions { Email = email with { CertificateSha256 = "12ab" } }.Validate(new(new object()))).ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_StartTlsRequiredButNotOffered_IsNotSent_AutoSendsInTheClear()
    {
        await using var smtp = new LocalSmtpServer();
        var email = new EmailTarget { Host = "127.0.0.1", Port = smtp.Port, Tls = "starttls", From = "watch@exam.test", To = ["duty@exam.test"] };

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(email));
        Assert.Empty(smtp.Messages);

        await SendAsync(email with { Tls = "auto" });
        Assert.Null(Assert.Single(smtp.Protocols));
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 MailServerCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=mail.exam-authority.test", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    [Fact]
    public async Task Email_ServerDown_FailsSoTheJobRetries_RobotsStillDelivered()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(new EmailTarget { Host = "127.0.0.1", Port = port, Tls = "none", From = "watch@exam.test", To = ["duty@exam.test"] }));

        Assert.Equal(3, _received.Count);
    }
}
