using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Evidence;

/// <summary>Evidence packages of the demo's alerts: export, verify, and every kind of tampering caught.</summary>
[Collection(DemoServerGroup.Name)]
public sealed class EvidencePackageTests(DemoServerFixture demo) : IAsyncLifetime
{
    private LocalTsa _tsa = null!;

    public async Task InitializeAsync() => _tsa = await LocalTsa.StartAsync();

    public async Task DisposeAsync() => await _tsa.DisposeAsync();

    [Fact]
    public async Task Export_ThenVerify_EveryFileHoldsAndTheTimestampIsValid()
    {
        var (zip, result) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);

        var report = EvidenceTestKit.Verify(zip);

        Assert.True(report.Holds, string.Join("\n", report.Failures));
        Assert.True(result.Timestamped);
        Assert.Equal(1, _tsa.Issued);
        Assert.True(report.Timestamp!.Holds);
        Assert.Contains("ExamNetWatch Test TSA", report.Timestamp.Authority, StringComparison.Ordinal);
        var names = EvidenceTestKit.Entries(zip).Keys.ToList();
        Assert.Contains(EvidenceFiles.Warc, names);
        Assert.Contains(EvidenceFiles.Report, names);
        Assert.Contains(EvidenceFiles.Custody, names);
        Assert.Contains(EvidenceFiles.Timestamp, names);
        Assert.Single(names, n => n.StartsWith("screenshots/", StringComparison.Ordinal));
        var post = JsonNode.Parse(EvidenceTestKit.Entries(zip)[names.Single(n => n.StartsWith("posts/", StringComparison.Ordinal))])!;
        Assert.Matches(@"^\d+$", post["post"]!["authorId"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", post["post"]!["resolvedIp"]!.GetValue<string>());
        Assert.StartsWith("HTTP/1.1 200", post["fetch"]!["statusLine"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(EvidenceDocuments.AccessMode, post["fetch"]!["accessMode"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlipOneByte_InEachFileOfThePackage_VerifyFailsNamingIt()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        var names = EvidenceTestKit.Entries(zip).Keys.ToList();
        Assert.True(names.Count >= 7, string.Join(", ", names));

        foreach (var name in names)
        {
            var report = EvidenceTestKit.Verify(EvidenceTestKit.Rewrite(zip, name, EvidenceTestKit.FlipMiddleByte));

            Assert.False(report.Holds, name + " changed, yet the package verified");
            Assert.Contains(report.Failures, f => f.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FlipBytesOfTheZipFileItself_AnyFlipInTheStoredFilesIsCaught()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        var data = EvidenceTestKit.CompressedDataPositions(zip);

        // 24 positions spread over the compressed bytes of every stored file (not the ZIP's own headers and dates).
        foreach (var position in Enumerable.Range(0, 24).Select(i => data[(int)((long)data.Count * i / 24)]))
        {
            var copy = (byte[])zip.Clone();
            copy[position] ^= 0x10;

            Assert.False(EvidenceTestKit.Verify(copy).Holds, $"byte {position} of {zip.Length} flipped, yet the package verified");
        }
    }

    [Theory]
    [InlineData("posts/zz-extra.json")]
    [InlineData("说明.txt")]
    [InlineData("captures/extra.warc.gz")]
    public async Task FileAddedThatTheManifestDoesNotList_ThePackageIsRefusedNamingIt(string name)
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        Assert.True(EvidenceTestKit.Verify(zip).Holds);

        var report = EvidenceTestKit.Verify(EvidenceTestKit.AddEntry(zip, name, System.Text.Encoding.UTF8.GetBytes("补充材料"), first: false));

        Assert.False(report.Holds, name + " added, yet the package verified");
        Assert.Contains(name + ": in the package but not in the manifest", report.Failures);
    }

    [Fact]
    public async Task SecondEntryOfTheSameName_FirstOrLast_ThePackageIsRefused()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        var post = EvidenceTestKit.Entries(zip).Keys.Single(n => n.StartsWith("posts/", StringComparison.Ordinal));
        var forged = System.Text.Encoding.UTF8.GetBytes("{\"post\": {\"text\": \"另一份内容\"}}");

        // A viewer shows one copy, the checker reads the other: whichever comes first, the package does not hold.
        foreach (var (name, first) in new[] { (post, true), (post, false), (post.ToUpperInvariant(), false), (EvidenceFiles.Manifest, true) })
        {
            var report = EvidenceTestKit.Verify(EvidenceTestKit.AddEntry(zip, name, forged, first));

            Assert.False(report.Holds, $"{name} twice ({(first ? "first" : "last")}), yet the package verified");
            Assert.Contains("two entries are named", Assert.Single(report.Failures), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../manifest.json")]
    [InlineData("posts/../manifest.json")]
    [InlineData("/etc/passwd")]
    [InlineData("posts\\extra.json")]
    [InlineData("posts/")]
    public async Task EntryNameThatIsNotAPlainRelativePath_ThePackageIsRefused(string name)
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);

        var report = EvidenceTestKit.Verify(EvidenceTestKit.AddEntry(zip, name, [1, 2, 3], first: false));

        Assert.False(report.Holds);
        Assert.Contains("is not a plain relative path", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEditedManifestRecomputedAndReSigned_FailsAgainstTheInstallationKey()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), tsa: null);
        var installation = InstallationKey();
        var entries = EvidenceTestKit.Entries(zip);
        var postName = entries.Keys.Single(n => n.StartsWith("posts/", StringComparison.Ordinal));
        var post = JsonNode.Parse(entries[postName])!;
        post["post"]!["text"] = "这是一条普通的复习帖";
        var forgedPost = JsonSerializer.SerializeToUtf8Bytes(post, EvidenceManifest.Json);
        var manifest = JsonSerializer.Deserialize<EvidenceManifest>(entries[EvidenceFiles.Manifest], EvidenceManifest.Json)!;
        using var forgerKey = EvidenceSigningKey.LoadOrCreate(Directory.CreateTempSubdirectory("enw-forger-").FullName);
        var forgedManifest = JsonSerializer.SerializeToUtf8Bytes(manifest with
        {
            Signer = forgerKey.Fingerprint,
            Files = [.. manifest.Files.Select(f => f.Name == postName ? f with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(forgedPost)), Bytes = forgedPost.LongLength } : f)],
        }, EvidenceManifest.Json);
        var forged = EvidenceTestKit.Rewrite(EvidenceTestKit.Rewrite(EvidenceTestKit.Rewrite(zip, postName, _ => forgedPost), EvidenceFiles.Manifest, _ => forgedManifest), EvidenceFiles.Signature, _ => forgerKey.Sign(forgedManifest));

        // Every hash agrees and the signature holds — under the forger's key, which is not the installation's.
        var alone = EvidenceTestKit.Verify(forged);
        Assert.True(alone.Holds, string.Join("\n", alone.Failures));
        Assert.Contains(alone.Unchecked, u => u.Contains(forgerKey.Fingerprint, StringComparison.Ordinal) && u.Contains("no trusted key", StringComparison.Ordinal));
        var trusted = EvidenceTestKit.Verify(forged, new VerificationTrust { TrustedKeys = [installation] });
        Assert.Contains(trusted.Failures, f => f.Contains($"signed by key {forgerKey.Fingerprint}, which is not a trusted key", StringComparison.Ordinal));

        // The genuine package holds under the installation key.
        var genuine = EvidenceTestKit.Verify(zip, new VerificationTrust { TrustedKeys = [installation] });
        Assert.True(genuine.Holds, string.Join("\n", genuine.Failures));
        Assert.Contains(genuine.Checked, c => c.Contains("by trusted key " + installation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CapturesSwappedWithAnotherAlertsPackage_AsTheyAreOrWithTheManifestRehashed_VerifyNamesThem()
    {
        var first = await FirstAlertAsync();
        long second;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            second = await db.Alerts.Where(a => a.Id > first && db.Posts.Any(p => p.Id == a.PostId && p.WarcFile.StartsWith("ExamNetWatch-"))).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
        }

        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, first, tsa: null);
        var (other, _) = await EvidenceTestKit.ExportAsync(demo, second, tsa: null);
        var theirs = EvidenceTestKit.Entries(other);

        // The other alert's captures under this package's names, manifest untouched: their hashes are named.
        var swapped = EvidenceTestKit.Rewrite(zip, EvidenceFiles.Warc, _ => theirs[EvidenceFiles.Warc]);
        var plain = EvidenceTestKit.Verify(swapped);
        Assert.False(plain.Holds);
        Assert.Contains(plain.Failures, f => f.StartsWith(EvidenceFiles.Warc, StringComparison.Ordinal));

        // …and with the manifest's hash and size for it rewritten: the signature no longer holds, and the post no
        // longer finds its own record in the captures.
        var manifest = JsonSerializer.Deserialize<EvidenceManifest>(EvidenceTestKit.Entries(zip)[EvidenceFiles.Manifest], EvidenceManifest.Json)!;
        var warc = theirs[EvidenceFiles.Warc];
        var rehashed = JsonSerializer.SerializeToUtf8Bytes(manifest with
        {
            Files = [.. manifest.Files.Select(f => f.Name == EvidenceFiles.Warc ? f with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(warc)), Bytes = warc.LongLength } : f)],
        }, EvidenceManifest.Json);
        var forged = EvidenceTestKit.Verify(EvidenceTestKit.Rewrite(swapped, EvidenceFiles.Manifest, _ => rehashed), new VerificationTrust { TrustedKeys = [InstallationKey()] });
        Assert.False(forged.Holds);
        Assert.Contains(forged.Failures, f => f.Contains("the signature does not hold", StringComparison.Ordinal));
        Assert.True(forged.Failures.Count >= 2, "only the signature noticed: " + string.Join("\n", forged.Failures));
    }

    [Fact]
    public async Task SignatureRemoved_OrAByteOfAUrlInTheManifestChanged_TheyAreNamed()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), tsa: null);

        var unsigned = EvidenceTestKit.Verify(EvidenceTestKit.Remove(zip, EvidenceFiles.Signature));
        Assert.Contains(unsigned.Failures, f => f.StartsWith("signature.json: missing", StringComparison.Ordinal));

        var manifest = System.Text.Encoding.UTF8.GetString(EvidenceTestKit.Entries(zip)[EvidenceFiles.Manifest]);
        var url = System.Text.RegularExpressions.Regex.Match(manifest, "\"source\": \"(http://127\\.0\\.0\\.1:[0-9]+/[^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(url);
        var changed = EvidenceTestKit.Rewrite(zip, EvidenceFiles.Manifest, _ => System.Text.Encoding.UTF8.GetBytes(manifest.Replace(url, url.Replace("tid=", "tid=9", StringComparison.Ordinal), StringComparison.Ordinal)));
        var report = EvidenceTestKit.Verify(changed);
        Assert.Contains(report.Failures, f => f.Contains("but the post was fetched from " + url, StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Contains("the signature does not hold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timestamp_FromAnUntrustedTsaOrFarFromTheExportTime_Fails_FromTheTrustedTsaHolds()
    {
        await using var rogue = await LocalTsa.StartAsync();
        var (fromRogue, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), rogue);
        var (genuine, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        _tsa.ClockOffset = TimeSpan.FromHours(-2);
        var (backdated, backdatedResult) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        _tsa.ClockOffset = TimeSpan.Zero;
        Assert.True(backdatedResult.Timestamped);
        var trust = new VerificationTrust { TrustedKeys = [InstallationKey()], TrustedTsa = [_tsa.Certificate] };

        Assert.Contains(EvidenceTestKit.Verify(fromRogue, trust).Failures, f => f.Contains("which is not a trusted TSA", StringComparison.Ordinal));
        Assert.Contains(EvidenceTestKit.Verify(backdated, trust).Failures, f => f.Contains("more than 10 minutes apart", StringComparison.Ordinal));
        var holds = EvidenceTestKit.Verify(genuine, trust);
        Assert.True(holds.Holds, string.Join("\n", holds.Failures));
        Assert.Contains(holds.Checked, c => c.Contains("(a trusted TSA)", StringComparison.Ordinal));
        // Without trusted TSAs, a valid token is reported as not proving the time — never as proof.
        Assert.Contains(EvidenceTestKit.Verify(fromRogue).Unchecked, u => u.Contains("does not prove the time", StringComparison.Ordinal));
    }

    private string InstallationKey() => demo.Server.App.Services.GetRequiredService<EvidenceSigningKey>().Fingerprint;

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Verify_NotAZipAtAll_FailsWithAClearMessage(int length)
    {
        var report = EvidenceTestKit.Verify(System.Text.Encoding.UTF8.GetBytes(new string('x', length)));

        Assert.False(report.Holds);
        Assert.Contains("the ZIP is damaged", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordChangedAndManifestRehashed_WarcDigestAndTimestampStillCatchIt()
    {
        var (zip, _) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), _tsa);
        var entries = EvidenceTestKit.Entries(zip);
        // A forger changes the captured page (a new, well-formed WARC file) and updates the manifest to match.
        var forged = ForgeWarc(entries[EvidenceFiles.Warc]);
        var manifest = JsonNode.Parse(entries[EvidenceFiles.Manifest])!;
        var warcEntry = manifest["files"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == EvidenceFiles.Warc)!;
        warcEntry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(forged));
        warcEntry["bytes"] = forged.LongLength;
        var tampered = EvidenceTestKit.Rewrite(EvidenceTestKit.Rewrite(zip, EvidenceFiles.Warc, _ => forged), EvidenceFiles.Manifest, _ => JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceManifest.Json));

        var report = EvidenceTestKit.Verify(tampered);

        Assert.DoesNotContain(report.Failures, f => f.Contains("SHA-256 differs", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Contains("payload digest does not recompute", StringComparison.Ordinal) || f.Contains("block digest does not recompute", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.StartsWith(EvidenceFiles.Timestamp, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_ReadBackWithPdftotext_HoldsTheChineseFieldsAndEveryHash()
    {
        var alertId = await FirstAlertAsync();
        var (zip, result) = await EvidenceTestKit.ExportAsync(demo, alertId, null, settings: new EvidenceOptions { Unit = "某市教育考试院", Place = "某市教育考试院 网络监测室" });
        var path = Path.Combine(Path.GetTempPath(), "enw-report-" + Guid.NewGuid().ToString("N") + ".pdf");
        await File.WriteAllBytesAsync(path, EvidenceTestKit.Entries(zip)[EvidenceFiles.Report]);
        try
        {
            var text = await PdfToTextAsync(path);

            foreach (var field in new[] { "电子数据提取笔录", "案件/告警编号", "提取开始", "提取结束", "时间来源", "工具与版本", "访问方式", "电子数据清单", "哈希值（SHA-256）", "提取人（签名）", "见证人（签名）", "授权依据", "提取步骤", "解析 IP", "检测规则", "TLS 证书", "明文 HTTP，无 TLS", "论坛用户 ID" })
            {
                Assert.Contains(field, text, StringComparison.Ordinal);
            }

            Assert.Contains($"A{alertId}", text, StringComparison.Ordinal);
            // The unit and place are the installation's settings, not the host's name.
            Assert.Contains("提取单位", text, StringComparison.Ordinal);
            Assert.Contains("某市教育考试院 网络监测室（ExamNetWatch 系统主机", text, StringComparison.Ordinal);
            Assert.DoesNotContain("系统未设置", text, StringComparison.Ordinal);
            // The screenshot tool is said in Chinese, and the page screenshot is in the record itself.
            Assert.Contains("无头模式", text, StringComparison.Ordinal);
            Assert.DoesNotContain("headless", text, StringComparison.Ordinal);
            Assert.Contains($"页面截图（{EvidenceFiles.Screenshot(alertId)}", text, StringComparison.Ordinal);
            Assert.True(await ImagesInAsync(path) >= 1, "the extraction record holds no image");
            Assert.All(result.Files.Where(f => f.Name != EvidenceFiles.Report), f => Assert.Contains(f.Sha256, text, StringComparison.Ordinal));
            // The signing key's fingerprint, for whoever receives the package to check its signature against.
            Assert.Contains(InstallationKey()["sha256:".Length..], text.Replace("\n", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task NoChromium_PackageStillHolds_AndTheReportSaysWhyThereIsNoScreenshot()
    {
        var (zip, result) = await EvidenceTestKit.ExportAsync(demo, await FirstAlertAsync(), null, chromium: "/nonexistent/chromium");

        Assert.True(EvidenceTestKit.Verify(zip).Holds);
        Assert.DoesNotContain(EvidenceTestKit.Entries(zip).Keys, n => n.StartsWith("screenshots/", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("未安装 Chromium", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CustodyLog_ScriptedActions_AllInOrderAndTheExportsAudited()
    {
        Assert.True(await demo.WaitForSeedAsync());
        long alertId;
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            // A fresh alert, so no other test has viewed or exported it.
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var id = Guid.NewGuid().ToString("N")[..10];
            await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.PostIngestor>().AcceptAsync(
                TestPosts.Crawled((await db.Sources.FirstAsync()).Id, "t" + id, id, "出售2026中考答案，考前发货，加微信 custody" + id[..4], title: "保管链测试 " + id), CancellationToken.None);
            alertId = (await db.Alerts.SingleAsync(a => a.Title == "保管链测试 " + id)).Id;
            var triage = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Triage.AlertTriage>();
            await triage.TakeAsync(alertId, "取证员甲", "10.0.0.5", CancellationToken.None);
            await triage.AddNoteAsync(alertId, "已截图留存", "取证员甲", "10.0.0.5", CancellationToken.None);
            await triage.EscalateAsync(alertId, new ExamNetWatch.Dashboard.Triage.Escalation("某市公安局网安支队"), "取证员甲", "10.0.0.5", CancellationToken.None);
        }

        await EvidenceTestKit.ExportAsync(demo, alertId, null);
        await using (var scope = demo.Server.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Triage.AlertTriage>().CloseAsync(alertId, CloseReason.TruePositive, "复核员乙", "10.0.0.6", CancellationToken.None);
        }

        var (zip, result) = await EvidenceTestKit.ExportAsync(demo, alertId, null);

        var custody = JsonNode.Parse(EvidenceTestKit.Entries(zip)[EvidenceFiles.Custody])!["entries"]!.AsArray();
        var actions = custody.Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Equal(["alert.raise", "alert.take", "alert.note", "alert.escalate", "evidence.export", "alert.close"], actions);
        Assert.All(custody, e => Assert.Matches("^[0-9a-f]{64}$", e!["hash"]!.GetValue<string>()));
        // Beside the stored codes, each entry says what was done in Chinese, and so does the file's note.
        Assert.Equal(["系统生成告警", "认领", "备注", "移交公安", "导出证据包", "关闭"], custody.Select(e => e!["actionName"]!.GetValue<string>()));
        Assert.Contains("已移交公安", custody[3]!["detailText"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"^\P{IsBasicLatin}", JsonNode.Parse(EvidenceTestKit.Entries(zip)[EvidenceFiles.Custody])!["note"]!.GetValue<string>());
        await using var check = demo.Server.App.Services.CreateAsyncScope();
        var exports = await check.ServiceProvider.GetRequiredService<WatchDbContext>().Audit
            .Where(a => a.Target == ExamNetWatch.Dashboard.Triage.AlertTriage.Target(alertId) && a.Action == "evidence.export").Select(a => a.Detail).ToListAsync();
        Assert.Equal(2, exports.Count);
        Assert.Contains(result.PackageSha256, exports[1], StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), result.PackageSha256);
    }

    private Task<long> FirstAlertAsync() => EvidenceTestKit.FirstCrawledAlertAsync(demo);

    private static byte[] ForgeWarc(byte[] original)
    {
        var path = Path.Combine(Path.GetTempPath(), "enw-forge-" + Guid.NewGuid().ToString("N") + ".warc.gz");
        File.WriteAllBytes(path, original);
        try
        {
            using var output = new MemoryStream();
            foreach (var record in WarcReader.ReadAll(path).ToList())
            {
                var block = record.Block.ToArray();
                if (record.Type == "response")
                {
                    // Change one byte of the body but keep the stored digests: the record still parses.
                    block[^2] ^= 0x01;
                }

                using var member = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionMode.Compress, leaveOpen: true);
                member.Write(WarcWriter.Serialise(record with { Block = block }));
            }

            return output.ToArray();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static Task<string> PdfToTextAsync(string path) => Support.PdfText.ReadAsync(path);

    /// <summary>How many images a PDF holds, as poppler's pdfimages lists them.</summary>
    private static async Task<int> ImagesInAsync(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdfimages", ["-list", path]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var listing = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        // Two header lines, then one line per image.
        return listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 2;
    }
}
