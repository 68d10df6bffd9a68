using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>Reads WARC 1.1 records from <c>.warc.gz</c> files written one gzip member per record.</summary>
public static class WarcReader
{
    /// <summary>The largest record block read: far above any capture written (a page is at most 10 MB).</summary>
    public const long MaxBlockBytes = 64L * 1024 * 1024;

    /// <summary>Reads the record whose gzip member starts at <paramref name="offset"/>.</summary>
    /// <exception cref="FormatException">No WARC record starts there.</exception>
    public static WarcRecord ReadAt(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(offset, SeekOrigin.Begin);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return ReadRecord(gzip) ?? throw new FormatException($"No WARC record at {path}:{offset}.");
    }

    /// <summary>
    /// Reads the record whose gzip member lies at <paramref name="offset"/> and is <paramref name="length"/> bytes long:
    /// only those bytes are read, so a file being appended to cannot disturb the read.
    /// </summary>
    /// <exception cref="FormatException">No WARC record is there.</exception>
    public static WarcRecord ReadMember(string path, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var member = new byte[length];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.Seek(offset, SeekOrigin.Begin);
            file.ReadExactly(member);
        }

        using var gzip = new GZipStream(new MemoryStream(member), CompressionMode.Decompress);
        var record = ReadRecord(gzip) ?? throw new FormatException($"No WARC record at {path}:{offset}.");

        // Read the member to its end so that gzip checks its CRC-32 and length: a changed byte anywhere in the member
        // is then refused even where it still decompresses.
        if (gzip.ReadByte() >= 0)
        {
            throw new FormatException($"The gzip member at {path}:{offset} holds more than one WARC record.");
        }

        return record;
    }

    /// <summary>Reads every record of a file in order.</summary>
    public static IEnumerable<WarcRecord> ReadAll(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        while (ReadRecord(gzip) is { } record)
        {
            yield return record;
        }
    }

    /// <summary>
    /// Reads every complete record of a file in order; <c>Damaged</c> says that reading stopped at a record that could
    /// not be read — typically the half-written last record of a process killed while writing it.
    /// </summary>
    public static (IReadOnlyList<WarcRecord> Records, bool Damaged) ReadAllComplete(string path)
    {
        var records = new List<WarcRecord>();
        try
        {
            foreach (var record in ReadAll(path))
            {
                records.Add(record);
            }

            return (records, false);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
        {
            return (records, true);
        }
    }

    /// <summary>Splits an HTTP response block into its header part and its payload (the body).</summary>
    public static (string Head, ReadOnlyMemory<byte> Payload) SplitHttp(ReadOnlyMemory<byte> block)
    {
        var span = block.Span;
        var end = span.IndexOf("\r\n\r\n"u8);
        return end < 0
            ? (Encoding.Latin1.GetString(span), ReadOnlyMemory<byte>.Empty)
            : (Encoding.Latin1.GetString(span[..end]), block[(end + 4)..]);
    }

    private static WarcRecord? ReadRecord(Stream stream)
    {
        var version = ReadLine(stream);
        if (version is null)
        {
            return null;
        }

        if (!version.StartsWith("WARC/", StringComparison.Ordinal))
        {
            throw new FormatException($"Expected a WARC version line, found '{version}'.");
        }

        var fields = new List<KeyValuePair<string, string>>();
        string? line;
        while (!string.IsNullOrEmpty(line = ReadLine(stream)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Malformed WARC field line '{line}'.");
            }

            fields.Add(KeyValuePair.Create(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        string Get(string name) => fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value
            ?? throw new FormatException($"WARC record without {name}.");

        // A damaged or hostile capture may claim any length: refused, not allocated (pages are capped at 10 MB when fetched).
        if (!long.TryParse(Get("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBlockBytes)
        {
            throw new FormatException($"WARC record with an impossible Content-Length '{Get("Content-Length")}' (at most {MaxBlockBytes} bytes).");
        }

        var block = new byte[length];
        stream.ReadExactly(block);
        var tail = new byte[4];
        stream.ReadExactly(tail);
        if (!tail.AsSpan().SequenceEqual("\r\n\r\n"u8))
        {
            throw new FormatException("WARC record not followed by CRLF CRLF.");
        }

        var id = Get("WARC-Record-ID").Trim('<', '>');
        var date = DateTimeOffset.Parse(Get("WARC-Date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var rest = fields.Where(f => f.Key is not ("WARC-Type" or "WARC-Record-ID" or "WARC-Date")).ToList();
        return new WarcRecord(Get("WARC-Type"), Guid.Parse(id["urn:uuid:".Length..]), date, rest, block);
    }

    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>(128);
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                return bytes.Count == 0 ? null : throw new FormatException("WARC file ends inside a header line.");
            }

            if (b == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                bytes.RemoveAt(bytes.Count - 1);
                return Encoding.UTF8.GetString([.. bytes]);
            }

            bytes.Add((byte)b);
        }
    }
}
