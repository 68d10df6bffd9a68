using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary>Every verb runs on the server's composition root: the same settings, validated the same way, the same services.</summary>
public sealed class CompositionRootTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-root-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("sources", "list")]
    [InlineData("users", "list")]
    [InlineData("index", "status")]
    [InlineData("search", "答案")]
    [InlineData("exams", "list")]
    public async Task Verb_SettingThatWouldPurgeEverything_StopsItBeforeAnythingIsDoneAndNamesTheSetting(string verb, string argument)
    {
        var result = await ExamNetWatchProcess.RunAsync(new Dictionary<string, string> { ["Retention__NonAlertPostDays"] = "0" }, verb, argument, "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains("Retention:NonAlertPostDays must be between 1 and 3650 days", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(new DataDirectory(_dir).DatabasePath), "no database was created");
    }

    [Fact]
    public async Task Verb_SettingFromTheEnvironment_IsTheOneInForce()
    {
        // A TSA certificate named in the settings (not on the command line) is what verification trusts: a missing file says so.
        var package = Path.Combine(_dir, "none.zip");
        Directory.CreateDirectory(_dir);
        await File.WriteAllBytesAsync(package, [0x50, 0x4b, 0x05, 0x06, .. new byte[18]]);

        var result = await ExamNetWatchProcess.RunAsync(new Dictionary<string, string> { ["Evidence__TrustedTsaCertificates__0"] = Path.Combine(_dir, "tsa-from-settings.pem") }, "evidence", "verify", package, "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains("tsa-from-settings.pem", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliHost_ResolvesWhatTheServerResolves_AndRefusesABadSettingNamingIt()
    {
        await using (var services = await CliHost.OpenAsync(_dir, CancellationToken.None))
        {
            await using var scope = services.CreateAsyncScope();
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Triage.AlertTriage>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Retention.RetentionPolicy>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Sources.SourceRegistry>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Statistics.AlertStatistics>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<EvidenceExporter>());
            Assert.NotNull(scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Notifications.NotificationOptions>());
            Assert.True(services.GetRequiredService<ExamNetWatch.Dashboard.Rules.RuleBook>().Detector.Detect(null, "出售中考答案，加微信 abc123").IsAlert);
            // Detection follows the rules in force (edited on the rules page), not the lexicon read at start.
            Assert.Same(services.GetRequiredService<ExamNetWatch.Dashboard.Rules.RuleBook>().Detector, scope.ServiceProvider.GetRequiredService<ExamNetWatch.Indexer.Detection.PostDetector>());
        }

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => CliHost.Build(_dir, overrides: new Dictionary<string, string?> { ["Evidence:TsaUrl"] = "ftp://tsa.example/" }));
        Assert.Contains(error.Failures, f => f.Contains("Evidence:TsaUrl must be an absolute http(s) URL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SharedCapturesAndKeys_FromTheSettings_AreWhereCapturesAreWrittenAndReadAndKeysKept()
    {
        var shared = _dir + "-shared";
        try
        {
            var settings = new Dictionary<string, string?> { ["Storage:CapturesPath"] = Path.Combine(shared, "captures"), ["Storage:KeysPath"] = Path.Combine(shared, "keys") };
            await using var services = await CliHost.OpenAsync(_dir, CancellationToken.None, settings);
            var page = new ExamNetWatch.Crawler.Fetching.FetchedPage(new Uri("http://bbs.test/t/1"), 200, "text/html", "HTTP/1.1 200 OK", Array.Empty<string>(), "GET /t/1 HTTP/1.1", "127.0.0.1", System.Text.Encoding.UTF8.GetBytes("<p>证据</p>"), "<p>证据</p>", new DateTimeOffset(2026, 6, 20, 1, 0, 0, TimeSpan.Zero));

            var capture = await services.GetRequiredService<ExamNetWatch.Crawler.Captures.ICaptureWriter>().SaveAsync(page, CancellationToken.None);
            var record = services.GetRequiredService<ExamNetWatch.Crawler.Captures.ICaptureReader>().Read(capture);
            var fingerprint = services.GetRequiredService<EvidenceSigningKey>().Fingerprint;
            _ = Microsoft.AspNetCore.DataProtection.DataProtectionCommonExtensions.Protect(services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>().CreateProtector("test"), "secret");

            Assert.True(File.Exists(Path.Combine(shared, "captures", capture.WarcFile)));
            Assert.Equal(capture.RecordId, record.RecordId);
            Assert.False(Directory.Exists(Path.Combine(_dir, "captures")), "nothing is captured in the data directory's own folder");
            Assert.Equal(fingerprint, EvidenceSigningKey.TryLoad(Path.Combine(shared, "keys"))!.Fingerprint);
            Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(shared, "keys"), "key-*.xml"));
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
