using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Crawler.Tests.Captures;

/// <summary>
/// WARC output checked by a reader written here from the WARC 1.1 specification (ISO 28500:2017), independent of
/// the project's own <see cref="WarcReader"/>: each gzip member decompresses alone, named fields and digests are right.
/// </summary>
public sealed class WarcCaptureStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "enw-warc-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 20, 8, 30, 15, TimeSpan.Zero));

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("-5")]
    [InlineData("12x")]
    public void ReadAll_ACaptureClaimingAnImpossibleLength_IsRefusedAsNotWarcWithoutAllocatingIt(string length)
    {
        var file = Path.Combine(Path.GetTempPath(), "enw-badlength-" + Guid.NewGuid().ToString("N") + ".warc.gz");
        try
        {
            using (var gzip = new GZipStream(File.Create(file), CompressionLevel.Fastest))
            {
                gzip.Write(Encoding.ASCII.GetBytes($"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\nWARC-Date: 2026-06-20T01:00:00Z\r\nContent-Length: {length}\r\n\r\nabc\r\n\r\n"));
            }

            var error = Assert.Throws<FormatException>(() => WarcReader.ReadAll(file).ToList());

            Assert.Contains("Content-Length '" + length + "'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task SaveAsync_Exchange_WritesASpecConformingResponseAndRequestPair()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        var body = Encoding.GetEncoding("utf-8").GetBytes("<html><body>出售作弊器</body></html>");
        var page = Page(body);

        var capture = await store.SaveAsync(page, CancellationToken.None);

        var file = Path.Combine(_root, capture.WarcFile);
        var members = SpecReader.Members(File.ReadAllBytes(file));
        Assert.Equal(3, members.Count); // warcinfo, response, request
        Assert.Equal("warcinfo", members[0].Fields["WARC-Type"]);
        var response = members.Single(m => m.Offset == capture.WarcOffset);
        Assert.Equal(capture.WarcLength, response.Length);
        Assert.Equal("WARC/1.1", response.Version);
        Assert.Equal("response", response.Fields["WARC-Type"]);
        Assert.Equal("http://bbs.test/forum.php?mod=viewthread&tid=1", response.Fields["WARC-Target-URI"]);
        Assert.Equal("127.0.0.1", response.Fields["WARC-IP-Address"]);
        Assert.Equal("2026-06-20T08:30:15.000000Z", response.Fields["WARC-Date"]);
        Assert.Equal("application/http;msgtype=response", response.Fields["Content-Type"]);
        Assert.Equal(capture.RecordId, response.Fields["WARC-Record-ID"]);
        Assert.Equal(response.Block.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Fields["Content-Length"]);
        Assert.Equal("sha256:" + SpecReader.Base32(SHA256.HashData(response.Block)), response.Fields["WARC-Block-Digest"]);
        var payload = response.Block[(SpecReader.IndexOf(response.Block, "\r\n\r\n"u8.ToArray()) + 4)..];
        Assert.Equal(body, payload);
        Assert.Equal("sha256:" + SpecReader.Base32(SHA256.HashData(body)), response.Fields["WARC-Payload-Digest"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), capture.PayloadSha256);
        var head = Encoding.UTF8.GetString(response.Block[..SpecReader.IndexOf(response.Block, "\r\n\r\n"u8.ToArray())]);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains("X-Crawler-Original-Content-Encoding: gzip", head, StringComparison.Ordinal);
        Assert.Contains("Content-Length: " + body.Length, head, StringComparison.Ordinal);

        var request = members.Single(m => m.Fields["WARC-Type"] == "request");
        Assert.Equal(capture.RecordId, request.Fields["WARC-Concurrent-To"]);
        Assert.StartsWith("GET /forum.php?mod=viewthread&tid=1 HTTP/1.1\r\nHost: bbs.test", Encoding.UTF8.GetString(request.Block), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_WholeFile_ReadsAsOneConcatenatedGzipStreamLikeStandardTools()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        await store.SaveAsync(Page("a"u8.ToArray()), CancellationToken.None);
        var capture = await store.SaveAsync(Page("b"u8.ToArray()), CancellationToken.None);

        using var gzip = new GZipStream(File.OpenRead(Path.Combine(_root, capture.WarcFile)), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gzip.CopyTo(all);

        Assert.Equal(5, CountOf(Encoding.Latin1.GetString(all.ToArray()), "WARC/1.1\r\n"));
    }

    [Fact]
    public async Task Read_Capture_GivesBackTheResponseRecordThroughTheProjectReader()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        var capture = await store.SaveAsync(Page("<p>原文</p>"u8.ToArray()), CancellationToken.None);

        var record = new WarcCaptureReader(_root).Read(capture);

        Assert.Equal("response", record.Type);
        Assert.Equal(capture.RecordId, record.RecordId);
        Assert.Equal("<p>原文</p>"u8.ToArray(), WarcReader.SplitHttp(record.Block).Payload.ToArray());
        Assert.Equal(3, WarcReader.ReadAll(Path.Combine(_root, capture.WarcFile)).Count());
    }

    [Fact]
    public async Task SaveAsync_FileName_NamesTheWritingHostAndProcess_SoWorkersSharingAVolumeNeverCollide()
    {
        var capture = await NewStore(maxFileBytes: 1 << 20).SaveAsync(Page("a"u8.ToArray()), CancellationToken.None);

        var host = string.Concat(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(40));
        Assert.Matches("^TEST-[0-9]{17}-" + System.Text.RegularExpressions.Regex.Escape(host) + "-" + Environment.ProcessId + "-[0-9]{5}\\.warc\\.gz$", capture.WarcFile);
    }

    [Theory]
    [InlineData("../outside.warc.gz")]
    [InlineData("sub/file.warc.gz")]
    public void Read_FileNameIsAPath_IsRefusedBeforeAnyFileIsOpened(string file)
    {
        var reader = new WarcCaptureReader(_root);

        var error = Assert.Throws<ArgumentException>(() => reader.Read(new CaptureRef("00", file, 0, 10, "<urn:uuid:x>")));

        Assert.Contains("file name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAsync_FilePassesTheSizeLimit_NextCaptureStartsANewFileWithItsOwnWarcinfo()
    {
        var store = NewStore(maxFileBytes: 2048);
        var random = new Random(1);
        var big = new byte[4096];
        random.NextBytes(big);

        var first = await store.SaveAsync(Page(big), CancellationToken.None);
        var second = await store.SaveAsync(Page(big), CancellationToken.None);

        Assert.NotEqual(first.WarcFile, second.WarcFile);
        Assert.Equal("warcinfo", SpecReader.Members(File.ReadAllBytes(Path.Combine(_root, second.WarcFile)))[0].Fields["WARC-Type"]);
    }

    [Fact]
    public async Task Read_OneByteOfTheBodyChangedAndTheMemberRecompressed_IsRefusedAsTamperedByTheCaptureReader()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        var capture = await store.SaveAsync(Page("<p>证据原文</p>"u8.ToArray()), CancellationToken.None);
        var file = File.ReadAllBytes(Path.Combine(_root, capture.WarcFile));
        var member = SpecReader.Members(file).Single(m => m.Offset == capture.WarcOffset);

        // Someone who knows gzip: the record's last body byte changed, the member compressed again so gzip's own check
        // passes, the file put back together around it.
        var record = Decompress(file.AsSpan((int)member.Offset, (int)member.Length).ToArray());
        record[SpecReader.IndexOf(record, "</p>"u8.ToArray()) - 1] ^= 1;
        var tampered = Compress(record);
        var copy = "tampered-" + capture.WarcFile; // the store still holds the original open for appending
        using (var output = File.Create(Path.Combine(_root, copy)))
        {
            output.Write(file, 0, (int)member.Offset);
            output.Write(tampered);
            output.Write(file, (int)(member.Offset + member.Length), file.Length - (int)(member.Offset + member.Length));
        }

        var reader = new WarcCaptureReader(_root);
        var error = Assert.Throws<CaptureTamperedException>(() => reader.Read(capture with { WarcFile = copy, WarcLength = tampered.Length }));
        Assert.Contains(copy, error.Message, StringComparison.Ordinal);
        Assert.Contains("WARC-Block-Digest", error.Message, StringComparison.Ordinal);
        // Read from its offset alone (no stored length), the same; the untouched original still reads.
        Assert.Throws<CaptureTamperedException>(() => reader.Read(capture with { WarcFile = copy, WarcLength = 0 }));
        Assert.Equal(capture.RecordId, reader.Read(capture).RecordId);
    }

    [Fact]
    public async Task Read_AnyCompressedByteChanged_IsRefusedAsDamagedAndNeverReadAsOtherContent()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        var capture = await store.SaveAsync(Page("<p>证据原文：出售考试答案，联系微信 kaoshi2026</p>"u8.ToArray()), CancellationToken.None);
        var reader = new WarcCaptureReader(_root);
        var original = reader.Read(capture).Block.ToArray();
        var file = File.ReadAllBytes(Path.Combine(_root, capture.WarcFile));

        // Every byte after the 10-byte gzip header (which gzip does not check) is flipped in turn: the reader either
        // refuses the member as damaged, naming the file, or - where the bit was padding - reads exactly the original.
        var refused = 0;
        var positions = 0;
        for (var i = 10; i < capture.WarcLength; i++)
        {
            var damaged = (byte[])file.Clone();
            damaged[(int)capture.WarcOffset + i] ^= 0x20;
            var name = $"damaged-{i}-{capture.WarcFile}";
            File.WriteAllBytes(Path.Combine(_root, name), damaged);
            positions++;
            try
            {
                var record = reader.Read(capture with { WarcFile = name });
                Assert.Equal(original, record.Block.ToArray());
            }
            catch (CaptureDamagedException e)
            {
                Assert.Contains(name, e.Message, StringComparison.Ordinal);
                refused++;
            }
            finally
            {
                File.Delete(Path.Combine(_root, name));
            }
        }

        Assert.True(refused >= positions - 2, $"{refused} of {positions} changed bytes refused");
    }

    [Fact]
    public async Task Read_UntouchedCapture_IsNotTakenForTampered()
    {
        var store = NewStore(maxFileBytes: 1 << 20);
        var captures = new List<CaptureRef>();
        foreach (var body in new[] { "<p>甲</p>", "<p>乙</p>", string.Concat(Enumerable.Repeat("丙", 5000)) })
        {
            captures.Add(await store.SaveAsync(Page(Encoding.UTF8.GetBytes(body)), CancellationToken.None));
        }

        var reader = new WarcCaptureReader(_root);
        Assert.All(captures, c => Assert.Equal(c.RecordId, reader.Read(c).RecordId));
    }

    private static byte[] Decompress(byte[] member)
    {
        using var gzip = new GZipStream(new MemoryStream(member), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gzip.CopyTo(all);
        return all.ToArray();
    }

    private static byte[] Compress(byte[] data)
    {
        using var all = new MemoryStream();
        using (var gzip = new GZipStream(all, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return all.ToArray();
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private WarcCaptureStore NewStore(long maxFileBytes) =>
        new(new WarcWriter(_root, "TEST", maxFileBytes, _time, "ExamNetWatch/test"));

    private FetchedPage Page(byte[] body) => new(
        new Uri("http://bbs.test/forum.php?mod=viewthread&tid=1"),
        200,
        "text/html; charset=utf-8",
        "HTTP/1.1 200 OK",
        ["Server: nginx", "Content-Encoding: gzip", "Content-Type: text/html; charset=utf-8", "Content-Length: 12"],
        "GET /forum.php?mod=viewthread&tid=1 HTTP/1.1\r\nHost: bbs.test\r\nUser-Agent: ExamNetWatch/test",
        "127.0.0.1",
        body,
        Encoding.UTF8.GetString(body),
        _time.GetUtcNow());

    /// <summary>A WARC reader written from the specification for these tests only.</summary>
    private static class SpecReader
    {
        public sealed record Member(long Offset, long Length, string Version, Dictionary<string, string> Fields, byte[] Block);

        /// <summary>Splits a .warc.gz into its gzip members (RFC 1952: each starts with 1F 8B 08) and parses each alone.</summary>
        public static List<Member> Members(byte[] file)
        {
            var members = new List<Member>();
            var starts = new List<int>();
            for (var i = 0; i + 2 < file.Length; i++)
            {
                if (file[i] == 0x1F && file[i + 1] == 0x8B && file[i + 2] == 0x08 && TryInflate(file, i, out _))
                {
                    starts.Add(i);
                }
            }

            // A member boundary is a start whose member inflates to exactly one whole record.
            for (var s = 0; s < starts.Count; s++)
            {
                var end = s + 1 < starts.Count ? starts[s + 1] : file.Length;
                var bytes = Inflate(file.AsSpan(starts[s], end - starts[s]).ToArray());
                members.Add(Parse(starts[s], end - starts[s], bytes));
            }

            return members;
        }

        public static int IndexOf(byte[] data, byte[] pattern) => data.AsSpan().IndexOf(pattern);

        public static string Base32(byte[] bytes)
        {
            // Bit by bit through a big integer: a different algorithm from the project's encoder.
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            var bits = bytes.Length * 8;
            var padded = (bits + 39) / 40 * 40;
            var value = new BigInteger([.. bytes.Reverse(), 0]) << (padded - bits);
            var output = new StringBuilder();
            for (var shift = padded - 5; shift >= 0; shift -= 5)
            {
                output.Append(alphabet[(int)((value >> shift) & 31)]);
            }

            var chars = (bits + 4) / 5;
            return output.ToString()[..chars].PadRight(output.Length, '=');
        }

        private static bool TryInflate(byte[] file, int start, out byte[] result)
        {
            try
            {
                result = Inflate(file.AsSpan(start).ToArray());
                return Encoding.Latin1.GetString(result, 0, Math.Min(9, result.Length)).StartsWith("WARC/", StringComparison.Ordinal);
            }
            catch (InvalidDataException)
            {
                result = [];
                return false;
            }
        }

        private static byte[] Inflate(byte[] member)
        {
            using var gzip = new GZipStream(new MemoryStream(member), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }

        private static Member Parse(long offset, long length, byte[] record)
        {
            var headerEnd = IndexOf(record, "\r\n\r\n"u8.ToArray());
            var lines = Encoding.UTF8.GetString(record, 0, headerEnd).Split("\r\n");
            var fields = lines.Skip(1).ToDictionary(l => l[..l.IndexOf(':', StringComparison.Ordinal)], l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            var blockLength = int.Parse(fields["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
            var block = record.AsSpan(headerEnd + 4, blockLength).ToArray();
            Assert.Equal("\r\n\r\n", Encoding.Latin1.GetString(record, headerEnd + 4 + blockLength, 4));
            Assert.Equal(headerEnd + 4 + blockLength + 4, record.Length);
            return new Member(offset, length, lines[0], fields, block);
        }
    }
}
