using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>What an export produced: the package's own hash, its files, and anything the report had to say was missing.</summary>
public sealed record ExportResult(string PackageSha256, IReadOnlyList<PackageFile> Files, IReadOnlyList<string> Warnings, bool Timestamped);

/// <summary>
/// Writes an evidence package (a ZIP): the WARC records behind the alerts cut from the capture store, each post's text
/// and metadata as JSON, a screenshot per page rendered from the capture, the custody log, the extraction record
/// (PDF), and <c>manifest.json</c> with the SHA-256 of every file — signed by the installation's key
/// (<c>signature.json</c>) and timestamped by the configured TSA if there is one. The export is audited against every
/// alert, with the package's hash and the signing key's fingerprint.
/// </summary>
public sealed class EvidenceExporter(WatchDbContext db, AuditLog audit, IPageRenderer renderer, TimeProvider time, TimestampAuthority? tsa = null, EvidenceSigningKey? signer = null, EvidenceOptions? settings = null)
{
    /// <summary>Exports <paramref name="evidence"/> to <paramref name="output"/>.</summary>
    public async Task<ExportResult> ExportAsync(EvidenceCase evidence, Stream output, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(output);
        return await WriteAsync(evidence, output, remoteAddress, cancellationToken);
    }

    private async Task<ExportResult> WriteAsync(EvidenceCase evidence, Stream output, string? remoteAddress, CancellationToken cancellationToken)
    {
        var steps = new List<ExtractionStep> { new(evidence.StartedUtc, $"读取 {evidence.Items.Count} 条告警的帖子、来源、授权记录及 {evidence.Custody.Count} 条审计记录") };
        var warnings = evidence.Items.Where(i => i.CaptureError is not null).Select(i => $"告警 #{i.Alert.Id}：原始采集记录无法读取（{i.CaptureError}）").ToList();
        var files = new List<(PackageFile Info, byte[] Bytes)>();

        void Add(string name, byte[] bytes, string type, string source, string method) =>
            files.Add((new PackageFile(name, Sha256(bytes), bytes.LongLength, type, source, method), bytes));

        Add(EvidenceFiles.Warc, Warc(evidence), "WARC 1.1（ISO 28500）", "本系统采集存储：" + string.Join("、", evidence.Items.Select(i => i.Post.WarcFile).Distinct()),
            evidence.Items.All(i => i.Response is { Type: "resource" }) ? "原样复制导入时保存的导出文件记录"
            : evidence.Items.Any(i => i.Response is { Type: "resource" }) ? "原样复制抓取时保存的请求/响应记录与导入时保存的导出文件记录"
            : "原样复制抓取时保存的请求/响应记录");
        var exportFiles = evidence.Items.Count(i => i.Response is { Type: "resource" });
        var pageRecords = evidence.Items.Count(i => i.Response is { Type: "response" });
        steps.Add(new(Now(), "从采集存储复制 " + string.Join("、", new[] { pageRecords > 0 ? $"{pageRecords} 个页面" : null, exportFiles > 0 ? $"{exportFiles} 条群聊消息所在的导出文件" : null }.OfType<string>().DefaultIfEmpty("0 个页面")) + "的 WARC 记录，核对记录编号"));

        // Each chat message is found in its kept export once; the extraction record reads the same findings.
        var chatEvidence = evidence.Items.ToDictionary(i => i.Alert.Id, ChatEvidence.Of);
        foreach (var item in evidence.Items)
        {
            var (chat, problem) = chatEvidence[item.Alert.Id];
            if (chat is not null)
            {
                // The exact lines of the kept export that hold the message, byte for byte, beside the whole file in the WARC.
                var cut = chat.ExcerptFile(item.Alert.Id);
                Add(cut, chat.Excerpt.Bytes, $"群聊导出文件节选（第 {chat.Excerpt.FirstLine}–{chat.Excerpt.LastLine} 行，{chat.Encoding}）", $"{chat.FileName}（SHA-256 {chat.FileSha256}）字节 {chat.Excerpt.Offset} 起", "从保存的原文件按字节截取该消息所在的行");
                Add(EvidenceFiles.Post(item.Alert.Id), EvidenceDocuments.Post(item, chat.ToJson(item, cut)), "JSON 消息文字与元数据", item.Post.Url, "从数据库与 WARC 记录导出，消息由保存的原文件重新读出");
                continue;
            }

            if (problem is not null)
            {
                warnings.Add($"告警 #{item.Alert.Id}：{problem}");
            }

            Add(EvidenceFiles.Post(item.Alert.Id), EvidenceDocuments.Post(item), "JSON 帖子文字与元数据", item.Post.Url, "从数据库与 WARC 记录导出");
        }

        steps.Add(new(Now(), "导出帖子文字、元数据、HTTP 头和检测说明（JSON）"));

        // Messages of a group chat come from a member's export, kept as a WARC resource record: there is no web page to render.
        var chats = evidence.Items.Where(i => i.Response is { Type: "resource" }).ToList();
        if (chats.Count > 0)
        {
            steps.Add(new(Now(), $"{chats.Count} 条为群聊消息：数据来自获授权群成员导出的聊天记录文件（非公开网页），原文件已按字节收入 WARC resource 记录（含文件名、SHA-256、导入人与授权依据），不生成网页截图"));
        }

        var pages = evidence.Items.Where(i => i.Response is { Type: "response" }).ToList();
        var shots = await renderer.RenderAsync([.. pages.Select(Page)], cancellationToken);
        var screenshots = new Dictionary<long, byte[]>();
        for (var i = 0; i < pages.Count; i++)
        {
            if (shots[i].Png is { } png)
            {
                screenshots[pages[i].Alert.Id] = png;
                Add(EvidenceFiles.Screenshot(pages[i].Alert.Id), png, "PNG 页面截图", pages[i].Post.Url, "无头浏览器渲染保存的页面（不联网、禁用脚本）");
                if (shots[i].Problem is { } note)
                {
                    warnings.Add($"告警 #{pages[i].Alert.Id}：截图说明（{note}）");
                }
            }
            else
            {
                warnings.Add($"告警 #{pages[i].Alert.Id}：未生成截图（{shots[i].Problem}）");
            }
        }

        if (pages.Count > 0)
        {
            steps.Add(new(Now(), $"渲染截图：{renderer.Describe()}；生成 {shots.Count(s => s.Png is not null)} 张"));
        }

        var head = await db.Audit.AsNoTracking().Where(a => a.Sequence != null).OrderByDescending(a => a.Sequence)
            .Select(a => new AuditHead(a.Sequence!.Value, a.Hash!)).FirstOrDefaultAsync(cancellationToken);
        Add(EvidenceFiles.Custody, EvidenceDocuments.Custody(evidence, head), "JSON 保管链记录", "本系统审计日志（哈希链）", "导出与这些告警有关的全部审计记录");
        steps.Add(new(Now(), $"导出保管链记录 {evidence.Custody.Count} 条；审计链头 {head?.Sequence}:{head?.Hash}"));
        steps.Add(new(Now(), "逐个文件计算 SHA-256，生成电子数据清单与本笔录"));
        if (signer is not null)
        {
            steps.Add(new(Now(), $"以本系统证据签名密钥（ECDSA P-256）对 manifest.json 签名，存为 signature.json；公钥指纹 {signer.Fingerprint}"));
        }


        using (var report = new MemoryStream())
        {
            var ended = Now();
            ExtractionReport.Write(report, evidence, [.. files.Select(f => f.Info)], [.. steps, .. warnings.Select(w => new ExtractionStep(ended, "说明：" + w))], renderer.Describe(), ended, chatEvidence, settings, screenshots);
            Add(EvidenceFiles.Report, report.ToArray(), "PDF 提取笔录", "本系统", "根据上述数据生成");
        }

        var created = Now();
        var manifest = new EvidenceManifest(
            EvidenceManifest.CurrentFormat,
            evidence.CaseId,
            [.. evidence.Items.Select(i => i.Alert.Id)],
            created,
            Hosting.BeijingTime.Format(created),
            EvidenceFiles.Tool,
            evidence.Operator,
            $"主机 {Environment.MachineName} 的系统时钟（UTC）",
            head,
            [.. files.Select(f => f.Info)],
            signer?.Fingerprint);
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, EvidenceManifest.Json);
        var signature = signer?.Sign(manifestBytes);
        byte[]? token = null;
        if (tsa is not null)
        {
            try
            {
                token = await tsa.StampAsync(manifestBytes, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or CryptographicException or TaskCanceledException)
            {
                warnings.Add($"可信时间戳未取得（{tsa.Url.Host}：{e.Message}）");
            }
        }

        using (var hashing = new HashingStream(output))
        {
            using (var zip = new ZipArchive(hashing, ZipArchiveMode.Create, leaveOpen: true))
            {
                Entry(zip, EvidenceFiles.Manifest, manifestBytes, created);
                if (signature is not null)
                {
                    Entry(zip, EvidenceFiles.Signature, signature, created);
                }

                if (token is not null)
                {
                    Entry(zip, EvidenceFiles.Timestamp, token, created);
                }

                foreach (var (info, bytes) in files)
                {
                    Entry(zip, info.Name, bytes, created);
                }
            }

            var packageHash = hashing.Hash();
            foreach (var item in evidence.Items)
            {
                audit.Add(db, evidence.Operator, AuditActions.EvidenceExport, Triage.AlertTriage.Target(item.Alert.Id), $"package {evidence.CaseId} sha256 {packageHash}{(signer is null ? string.Empty : ", signed by " + signer.Fingerprint)}{(token is null ? string.Empty : ", timestamped")}", remoteAddress);
            }

            await db.SaveChangesAsync(cancellationToken);
            return new ExportResult(packageHash, [.. files.Select(f => f.Info)], warnings, token is not null);
        }
    }

    private static CapturedPage Page(EvidenceItem item)
    {
        var (head, payload) = WarcReader.SplitHttp(item.Response!.Block);
        var type = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim() ?? "text/html";
        return new CapturedPage(new Uri(item.Response.Field("WARC-Target-URI") ?? item.Post.Url), type, payload);
    }

    private byte[] Warc(EvidenceCase evidence)
    {
        using var buffer = new MemoryStream();
        var info = new WarcRecord(
            "warcinfo",
            Guid.NewGuid(),
            time.GetUtcNow(),
            [KeyValuePair.Create("WARC-Filename", EvidenceFiles.Warc), KeyValuePair.Create("Content-Type", "application/warc-fields")],
            System.Text.Encoding.UTF8.GetBytes($"software: {EvidenceFiles.Tool}\r\nformat: WARC File Format 1.1\r\ndescription: evidence cut for case {evidence.CaseId}, records copied unchanged from the capture store\r\noperator: {evidence.Operator}\r\n"));
        foreach (var record in new[] { info }.Concat(evidence.Items.SelectMany(i => new[] { i.Response, i.Request })).OfType<WarcRecord>().DistinctBy(r => r.Id))
        {
            // One gzip member per record, as the capture store writes them.
            using var member = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true);
            member.Write(WarcWriter.Serialise(record));
        }

        return buffer.ToArray();
    }

    private static void Entry(ZipArchive zip, string name, byte[] bytes, DateTime createdUtc)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(DateTime.SpecifyKind(createdUtc, DateTimeKind.Utc));
        using var stream = entry.Open();
        stream.Write(bytes);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    internal static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Passes writes through while hashing them, so the package's SHA-256 is known without reading it back.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public string Hash() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override void Write(byte[] buffer, int offset, int count)
        {
            _hash.AppendData(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
