namespace ExamNetWatch.Crawler.Captures;

/// <summary>What compacting one WARC file did.</summary>
/// <param name="Dropped">Records removed.</param>
/// <param name="Kept">Where each kept record now is, by WARC-Record-ID (for updating stored references).</param>
/// <param name="Deleted">Whether the file was deleted because nothing but its warcinfo was left.</param>
public sealed record WarcCompaction(int Dropped, IReadOnlyDictionary<string, WarcLocation> Kept, bool Deleted)
{
    /// <summary>Gets the file the kept records were written to (null when nothing was rewritten); the original is left for the caller to delete once it points at this one.</summary>
    public string? NewFile { get; init; }

    /// <summary>Gets whether the file holds a record that cannot be read and that a reference still needs: it is left as it is.</summary>
    public bool LeftDamaged { get; init; }
}

/// <summary>
/// Removes expired captures from a closed WARC file (retention of personal data): a response record is kept when
/// something still refers to it or it is newer than the cut-off; a request record goes with its response; the
/// warcinfo record stays. Kept records are written unchanged (same ids, dates, fields and blocks, so the same digests)
/// into a new file that then replaces the old one at once; a file left with nothing but its warcinfo is deleted.
/// </summary>
public static class WarcCompactor
{
    private static readonly HashSet<string> Recomputed = new(StringComparer.OrdinalIgnoreCase) { "WARC-Block-Digest", "Content-Length" };

    /// <summary>Compacts <paramref name="path"/>; <paramref name="referenced"/> tells whether a response record is still needed.</summary>
    public static WarcCompaction Compact(string path, IReadOnlySet<string> referenced, DateTimeOffset keepNewerThan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(referenced);
        // A damaged tail (a process killed mid-write) is dropped with the rest, unless a record still referenced is
        // among what cannot be read: then the file stays as it is for someone to look at.
        var (records, damaged) = WarcReader.ReadAllComplete(path);
        if (damaged && !referenced.IsSubsetOf(records.Select(r => r.RecordId)))
        {
            return new WarcCompaction(0, new Dictionary<string, WarcLocation>(), Deleted: false) { LeftDamaged = true };
        }

        var keptResponses = records
            .Where(r => r.Type == "response" && (referenced.Contains(r.RecordId) || r.Date >= keepNewerThan))
            .Select(r => r.RecordId)
            .ToHashSet(StringComparer.Ordinal);
        bool Keep(WarcRecord r) => r.Type switch
        {
            "warcinfo" => true,
            "response" => keptResponses.Contains(r.RecordId),
            "request" => r.Field("WARC-Concurrent-To") is { } to ? keptResponses.Contains(to) : r.Date >= keepNewerThan,
            _ => r.Date >= keepNewerThan || (r.Field("WARC-Concurrent-To") is { } of && keptResponses.Contains(of)),
        };

        var kept = records.Where(Keep).ToList();
        var dropped = records.Count - kept.Count + (damaged ? 1 : 0);
        if (dropped == 0)
        {
            return new WarcCompaction(0, new Dictionary<string, WarcLocation>(), Deleted: false);
        }

        if (kept.All(r => r.Type == "warcinfo"))
        {
            File.Delete(path);
            return new WarcCompaction(dropped, new Dictionary<string, WarcLocation>(), Deleted: true);
        }

        // The kept records go to a new file and the original stays until the caller has moved its references: a process
        // killed in between leaves either the old file referenced or the new one, never offsets into the wrong file.
        var stem = Path.GetFileName(path)[..^".warc.gz".Length];
        var compacted = System.Text.RegularExpressions.Regex.Replace(stem, "-c[0-9]{14}$", string.Empty);
        var name = FormattableString.Invariant($"{compacted}-c{now.UtcDateTime:yyyyMMddHHmmss}.warc.gz");
        var target = Path.Combine(Path.GetDirectoryName(path)!, name);
        var temporary = target + ".compacting";
        var locations = new Dictionary<string, WarcLocation>(StringComparer.Ordinal);
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in kept)
            {
                var unchanged = record with { Fields = [.. record.Fields.Where(f => !Recomputed.Contains(f.Key))] };
                locations[record.RecordId] = WarcWriter.AppendMember(file, name, unchanged);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, target, overwrite: true);
        return new WarcCompaction(dropped, locations, Deleted: false) { NewFile = name };
    }
}
