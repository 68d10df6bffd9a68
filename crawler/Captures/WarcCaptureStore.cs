using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>
/// Captures each exchange as a WARC 1.1 <c>request</c> and <c>response</c> record pair (ISO 28500), with
/// <c>WARC-Target-URI</c>, <c>WARC-IP-Address</c>, <c>WARC-Block-Digest</c> and <c>WARC-Payload-Digest</c> (sha256).
/// The body is stored as the application received it: if the server compressed it, the decoded body is stored
/// and the header is kept as <c>X-Crawler-Original-Content-Encoding</c>, with Content-Length set to what is stored.
/// </summary>
public sealed class WarcCaptureStore(WarcWriter writer) : ICaptureWriter
{
    private static readonly HashSet<string> Rewritten = new(StringComparer.OrdinalIgnoreCase) { "Content-Encoding", "Transfer-Encoding", "Content-Length" };

    /// <inheritdoc />
    public Task<CaptureRef> SaveAsync(FetchedPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var responseId = Guid.NewGuid();
        var target = page.Url.AbsoluteUri;
        var common = new List<KeyValuePair<string, string>> { KeyValuePair.Create("WARC-Target-URI", target) };
        if (page.RemoteAddress is not null)
        {
            common.Add(KeyValuePair.Create("WARC-IP-Address", page.RemoteAddress));
        }

        var responseFields = new List<KeyValuePair<string, string>>(common)
        {
            KeyValuePair.Create("Content-Type", "application/http;msgtype=response"),
            KeyValuePair.Create("WARC-Payload-Digest", WarcDigest.Sha256(page.Body.Span)),
        };
        if (page.Tls is { } tls)
        {
            // The server certificate of the connection (evidence rules ask for it); custom fields, as WARC allows.
            responseFields.AddRange(
            [
                KeyValuePair.Create(TlsFields.Protocol, tls.Protocol),
                KeyValuePair.Create(TlsFields.Sha256, tls.Sha256),
                KeyValuePair.Create(TlsFields.Subject, tls.Subject),
                KeyValuePair.Create(TlsFields.Issuer, tls.Issuer),
                KeyValuePair.Create(TlsFields.Validity, tls.Validity),
                KeyValuePair.Create(TlsFields.Certificate, tls.DerBase64),
            ]);
        }

        var response = new WarcRecord("response", responseId, page.FetchedAt, responseFields, ResponseBlock(page));
        var request = new WarcRecord(
            "request",
            Guid.NewGuid(),
            page.FetchedAt,
            [.. common, KeyValuePair.Create("Content-Type", "application/http;msgtype=request"), KeyValuePair.Create("WARC-Concurrent-To", response.RecordId)],
            Encoding.UTF8.GetBytes(page.RequestHead + "\r\n\r\n"));
        var locations = writer.Write([response, request]);
        var sha = Convert.ToHexStringLower(SHA256.HashData(page.Body.Span));
        return Task.FromResult(new CaptureRef(sha, locations[0].File, locations[0].Offset, locations[0].Length, response.RecordId));
    }

    /// <inheritdoc />
    public Task<CaptureRef> SaveResourceAsync(Uri target, string contentType, ReadOnlyMemory<byte> body, DateTimeOffset at, IReadOnlyList<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(fields);
        if (body.Length > WarcReader.MaxBlockBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(body), FormattableString.Invariant($"a kept file is at most {WarcReader.MaxBlockBytes / 1024 / 1024} MB"));
        }

        var record = new WarcRecord(
            "resource",
            Guid.NewGuid(),
            at,
            [KeyValuePair.Create("WARC-Target-URI", target.AbsoluteUri), KeyValuePair.Create("Content-Type", contentType), KeyValuePair.Create("WARC-Payload-Digest", WarcDigest.Sha256(body.Span)), .. fields],
            body.ToArray());
        var location = writer.Write([record])[0];
        return Task.FromResult(new CaptureRef(Convert.ToHexStringLower(SHA256.HashData(body.Span)), location.File, location.Offset, location.Length, record.RecordId));
    }

    private static byte[] ResponseBlock(FetchedPage page)
    {
        var head = new StringBuilder(page.StatusLine).Append("\r\n");
        foreach (var header in page.ResponseHeaders)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? header[..colon] : header;
            head.Append(Rewritten.Contains(name) ? "X-Crawler-Original-" + header : header).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(page.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var block = new byte[headBytes.Length + page.Body.Length];
        headBytes.CopyTo(block, 0);
        page.Body.Span.CopyTo(block.AsSpan(headBytes.Length));
        return block;
    }
}

/// <summary>Reads the records <see cref="WarcCaptureStore"/> wrote, from the WARC files under <paramref name="root"/>.</summary>
public sealed class WarcCaptureReader(string root) : ICaptureReader
{
    /// <summary>Gets the folder the WARC files are in.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public WarcRecord Read(CaptureRef capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (capture.WarcFile.Contains('/', StringComparison.Ordinal) || capture.WarcFile.Contains('\\', StringComparison.Ordinal) || capture.WarcFile.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException("A WARC file name, not a path, is expected.", nameof(capture));
        }

        var path = Path.Combine(Root, capture.WarcFile);
        WarcRecord record;
        try
        {
            record = capture.WarcLength > 0 ? WarcReader.ReadMember(path, capture.WarcOffset, capture.WarcLength) : WarcReader.ReadAt(path, capture.WarcOffset);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or EndOfStreamException)
        {
            throw new CaptureDamagedException(capture.WarcFile, capture.WarcOffset, e);
        }

        // The writer digests every block; a block that no longer matches its digest was changed after it was written
        // (a change of the compressed bytes alone is refused by gzip's CRC when the stored length is known).
        if (record.Field("WARC-Block-Digest") is { } digest && !string.Equals(digest, WarcDigest.Sha256(record.Block.Span), StringComparison.OrdinalIgnoreCase))
        {
            throw new CaptureTamperedException(capture.WarcFile, capture.WarcOffset, record.RecordId);
        }

        return record;
    }
}

/// <summary>A kept record whose block no longer matches its <c>WARC-Block-Digest</c>: the capture was changed after it was written.</summary>
public sealed class CaptureTamperedException : IOException
{
    public CaptureTamperedException(string warcFile, long offset, string recordId)
        : base($"The WARC record {recordId} at {warcFile}@{offset} does not match its WARC-Block-Digest: the capture was changed after it was written.")
    {
        WarcFile = warcFile;
        Offset = offset;
    }

    public CaptureTamperedException()
        : this("?", 0, "?")
    {
    }

    public CaptureTamperedException(string message)
        : base(message)
    {
        WarcFile = "?";
    }

    public CaptureTamperedException(string message, Exception innerException)
        : base(message, innerException)
    {
        WarcFile = "?";
    }

    /// <summary>Gets the WARC file that holds the record.</summary>
    public string WarcFile { get; } = "?";

    /// <summary>Gets the offset of the record's gzip member.</summary>
    public long Offset { get; }
}

/// <summary>A kept record that cannot be read back: its compressed bytes are damaged or it is not a WARC record.</summary>
public sealed class CaptureDamagedException : IOException
{
    public CaptureDamagedException(string warcFile, long offset, Exception innerException)
        : base($"The WARC record at {warcFile}@{offset} cannot be read: {innerException?.Message}", innerException)
    {
        WarcFile = warcFile;
        Offset = offset;
    }

    public CaptureDamagedException()
        : base("A WARC record cannot be read.")
    {
    }

    public CaptureDamagedException(string message)
        : base(message)
    {
    }

    public CaptureDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the WARC file that holds the record.</summary>
    public string WarcFile { get; } = "?";

    /// <summary>Gets the offset of the record's gzip member.</summary>
    public long Offset { get; }
}

/// <summary>The WARC header fields that carry the TLS certificate of a response.</summary>
public static class TlsFields
{
    public const string Protocol = "X-Crawler-TLS-Protocol";
    public const string Sha256 = "X-Crawler-TLS-Certificate-SHA256";
    public const string Subject = "X-Crawler-TLS-Subject";
    public const string Issuer = "X-Crawler-TLS-Issuer";
    public const string Validity = "X-Crawler-TLS-Validity";
    public const string Certificate = "X-Crawler-TLS-Certificate";
}
