namespace ExamNetWatch.Crawler.Captures;

/// <summary>
/// One WARC 1.1 record (ISO 28500:2017): its named fields and its block. The writer adds
/// <c>WARC-Record-ID</c>, <c>WARC-Date</c>, <c>Content-Length</c> and <c>WARC-Block-Digest</c> itself.
/// </summary>
/// <param name="Type">WARC-Type: warcinfo, request, response, metadata, resource…</param>
/// <param name="Fields">Further named fields, in order (e.g. WARC-Target-URI, Content-Type, WARC-Payload-Digest).</param>
/// <param name="Block">The record block (for a response: the HTTP status line, headers and body).</param>
public sealed record WarcRecord(string Type, Guid Id, DateTimeOffset Date, IReadOnlyList<KeyValuePair<string, string>> Fields, ReadOnlyMemory<byte> Block)
{
    /// <summary>Gets the record id as written: <c>&lt;urn:uuid:…&gt;</c>.</summary>
    public string RecordId => "<urn:uuid:" + Id.ToString("D") + ">";

    /// <summary>Returns the value of the first field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Field(string name) =>
        Fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Where a record lies: the WARC file (name within the capture folder), and its gzip member's offset and length.</summary>
public sealed record WarcLocation(string File, long Offset, long Length);
