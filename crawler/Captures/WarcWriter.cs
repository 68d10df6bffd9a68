using ExamNetWatch.Crawler.Faults;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>
/// Appends WARC 1.1 records to <c>.warc.gz</c> files, one gzip member per record, so each record can be read
/// alone from its offset. A new file (starting with a <c>warcinfo</c> record) is begun when the current one
/// passes <see cref="MaxFileBytes"/>. Thread-safe; each process writes its own files.
/// </summary>
public sealed class WarcWriter : IDisposable
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly string _prefix;
    private readonly TimeProvider _time;
    private readonly string _software;
    private FileStream? _current;
    private string? _currentName;
    private DateTimeOffset _openedAt;
    private int _sequence;

    public WarcWriter(string directory, string prefix, long maxFileBytes, TimeProvider time, string software)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileBytes, 1024);
        _directory = Path.GetFullPath(directory);
        _prefix = prefix;
        MaxFileBytes = maxFileBytes;
        _time = time;
        _software = software;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Gets the size past which a new file is begun.</summary>
    public long MaxFileBytes { get; }

    /// <summary>Gets how long one file is written to before the next write opens a new one.</summary>
    public static TimeSpan MaxFileAge { get; } = TimeSpan.FromDays(1);

    /// <summary>Writes <paramref name="records"/> one after the other into the same file and returns where each lies.</summary>
    public IReadOnlyList<WarcLocation> Write(IReadOnlyList<WarcRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            // A file is also closed after a day, so retention can rewrite old files without racing a writer.
            if (_current is null || _current.Length >= MaxFileBytes || _time.GetUtcNow() - _openedAt >= MaxFileAge)
            {
                Rotate();
            }

            var locations = new List<WarcLocation>(records.Count);
            foreach (var record in records)
            {
                locations.Add(Append(record));
            }

            KillPoint.Reach("warc.before-flush");
            _current!.Flush(flushToDisk: true);
            return locations;
        }
    }

    /// <summary>Serialises a record (uncompressed) exactly as it is stored.</summary>
    public static byte[] Serialise(WarcRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var header = new StringBuilder()
            .Append("WARC/1.1\r\n")
            .Append("WARC-Type: ").Append(record.Type).Append("\r\n")
            .Append("WARC-Record-ID: ").Append(record.RecordId).Append("\r\n")
            .Append("WARC-Date: ").Append(record.Date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var (name, value) in record.Fields)
        {
            if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"WARC field {name} must be one line.", nameof(record));
            }

            header.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        header.Append("WARC-Block-Digest: ").Append(WarcDigest.Sha256(record.Block.Span)).Append("\r\n")
            .Append("Content-Length: ").Append(record.Block.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = Encoding.UTF8.GetBytes(header.ToString());
        var bytes = new byte[head.Length + record.Block.Length + 4];
        head.CopyTo(bytes, 0);
        record.Block.Span.CopyTo(bytes.AsSpan(head.Length));
        Crlf.CopyTo(bytes, head.Length + record.Block.Length);
        Crlf.CopyTo(bytes, head.Length + record.Block.Length + 2);
        return bytes;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    private WarcLocation Append(WarcRecord record) => AppendMember(_current!, _currentName!, record);

    /// <summary>Appends <paramref name="record"/> to <paramref name="file"/> as one gzip member; returns where it went.</summary>
    internal static WarcLocation AppendMember(FileStream file, string name, WarcRecord record)
    {
        var offset = file.Position;
        using (var gzip = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true))
        {
            var bytes = Serialise(record);
            gzip.Write(bytes.AsSpan(0, bytes.Length / 2));
            KillPoint.Reach("warc.mid-record", () =>
            {
                // What a crash mid-write leaves: half a gzip member on disk.
                gzip.Flush();
                file.Flush(flushToDisk: true);
            });
            gzip.Write(bytes.AsSpan(bytes.Length / 2));
        }

        return new WarcLocation(name, offset, file.Position - offset);
    }

    /// <summary>
    /// The writing process in file names: host name and process id, so workers sharing one captures volume (each a
    /// container whose process id is often 1) never pick the same name.
    /// </summary>
    private static readonly string Writer = string.Concat(Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(40)) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    private void Rotate()
    {
        _current?.Dispose();
        var now = _time.GetUtcNow();
        _openedAt = now;
        _sequence++;
        _currentName = string.Create(
            CultureInfo.InvariantCulture,
            $"{_prefix}-{now.UtcDateTime:yyyyMMddHHmmssfff}-{Writer}-{_sequence:D5}.warc.gz");
        _current = new FileStream(Path.Combine(_directory, _currentName), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var info = Encoding.UTF8.GetBytes(
            $"software: {_software}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n");
        Append(new WarcRecord(
            "warcinfo",
            Guid.NewGuid(),
            now,
            [KeyValuePair.Create("WARC-Filename", _currentName), KeyValuePair.Create("Content-Type", "application/warc-fields")],
            info));
    }
}
