using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Hosting;

/// <summary>The data-protection key ring (sign-in cookies, notification secrets) on disk, with and without a certificate.</summary>
public sealed class KeyRingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enw-keyring-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task WithACertificate_TheKeysOnDiskAreEncrypted_AndTheNextStartStillReadsWhatTheLastProtected()
    {
        var (pfx, password) = Certificate("正确的密码 correct horse");
        var settings = Settings(pfx, password);

        string sealedText;
        await using (var server = await ServerRunner.StartAsync(settings, CancellationToken.None))
        {
            sealedText = server.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("webhook secret 秘钥");
        }

        var keys = Directory.GetFiles(Path.Combine(settings.DataDir, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }

        await using (var again = await ServerRunner.StartAsync(settings, CancellationToken.None))
        {
            Assert.Equal("webhook secret 秘钥", again.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
        }
    }

    [Fact]
    public async Task ACertificateThatDoesNotOpen_IsRefusedAtStartNamingTheSetting()
    {
        var (pfx, _) = Certificate("正确的密码");
        var wrong = Path.Combine(_dir, "wrong-password");
        await File.WriteAllTextAsync(wrong, "错误的密码");

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ServerRunner.StartAsync(Settings(pfx, wrong), CancellationToken.None));

        Assert.Contains(error.Failures, f => f.Contains("Storage:KeysCertificatePath:", StringComparison.Ordinal) && f.Contains("PKCS#12", StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, f => f.Contains("错误的密码", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WithoutACertificate_TheKeysAreInAFolderOnlyTheirOwnerCanOpen()
    {
        var settings = new HostSettings(Path.Combine(_dir, "data"), "http://127.0.0.1:0");
        await using (var server = await ServerRunner.StartAsync(settings, CancellationToken.None))
        {
            server.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("x");
        }

        var folder = Path.Combine(settings.DataDir, "keys");
        Assert.NotEmpty(Directory.GetFiles(folder, "key-*.xml"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    private HostSettings Settings(string pfx, string passwordFile) => new(Path.Combine(_dir, "data"), "http://127.0.0.1:0")
    {
        Configuration = new Dictionary<string, string?> { ["Storage:KeysCertificatePath"] = pfx, ["Storage:KeysCertificatePasswordFile"] = passwordFile },
    };

    /// <summary>A self-signed RSA certificate as an operator would make one (.pfx with a password in a file).</summary>
    private (string Pfx, string PasswordFile) Certificate(string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=ExamNetWatch key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        var pfx = Path.Combine(_dir, "keyring.pfx");
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, password));
        var passwordFile = Path.Combine(_dir, "keyring-password");
        File.WriteAllText(passwordFile, password + "\n");
        return (pfx, passwordFile);
    }
}
