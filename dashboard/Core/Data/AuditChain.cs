using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// The audit log as a hash chain: each entry carries the SHA-256 of its own fields and of the entry before it, in
/// <see cref="AuditEntry.Sequence"/> order. Entries are chained as they are saved, inside a transaction that
/// serialises writers (SQLite's immediate transaction; a PostgreSQL advisory lock), so every process extends the same
/// chain. <see cref="VerifyAsync"/> recomputes it and names the first entries that do not hold.
/// </summary>
public static class AuditChain
{
    /// <summary>How long verification waits for the anchor of a commit in flight before calling the chain's newest entries unanchored.</summary>
    internal static readonly TimeSpan AnchorGrace = TimeSpan.FromSeconds(1);

    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The PostgreSQL advisory lock key that serialises audit writers (any constant shared by all processes).</summary>
    public const long LockKey = 0x45_4E_57_41_55_44; // "ENWAUD"

    /// <summary>Computes the hash of an entry given the hash before it.</summary>
    public static string ComputeHash(AuditEntry entry, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // A JSON array of the fields: unambiguous whatever characters the fields hold.
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            entry.Sequence,
            entry.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            entry.Actor,
            entry.Action,
            entry.Target,
            entry.Detail,
            entry.RemoteAddress,
            previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Chains <paramref name="added"/> (in order) after the last chained entry; call inside the serialising transaction.</summary>
    internal static async Task ChainAsync(WatchDbContext db, IReadOnlyList<AuditEntry> added, CancellationToken cancellationToken)
    {
        var last = await db.Audit.AsNoTracking().Where(a => a.Sequence != null).OrderByDescending(a => a.Sequence)
            .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(cancellationToken);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? Genesis;
        foreach (var entry in added)
        {
            // Microseconds: what every supported database keeps of a time, so the hash survives the round trip.
            entry.AtUtc = new DateTime(entry.AtUtc.Ticks - (entry.AtUtc.Ticks % 10), DateTimeKind.Utc);
            entry.Sequence = ++sequence;
            entry.PreviousHash = previous;
            entry.Hash = ComputeHash(entry, previous);
            previous = entry.Hash;
        }

        if (added.Count > 0)
        {
            db.ChainedTo(sequence, previous);
        }
    }

    /// <summary>Takes the writers' lock for the current transaction (PostgreSQL); SQLite's immediate transaction already holds it.</summary>
    internal static Task LockAsync(WatchDbContext db, CancellationToken cancellationToken) =>
        db.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL"
            ? db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [LockKey], cancellationToken)
            : Task.CompletedTask;

    /// <summary>Chains entries written before the chain existed, oldest first (once, at start).</summary>
    public static async Task<int> SealLegacyAsync(WatchDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Audit.AnyAsync(a => a.Sequence == null, cancellationToken))
        {
            return 0;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, cancellationToken);
        var legacy = await db.Audit.Where(a => a.Sequence == null).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        await ChainAsync(db, legacy, cancellationToken);
        await db.SaveChangesWithoutChainAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return legacy.Count;
    }

    /// <summary>
    /// Recomputes the whole chain; returns how many entries hold and the problems found (empty when it holds). With
    /// <paramref name="anchor"/>, every head anchored outside the database must be in the chain with the same hash, and
    /// the chain must reach the newest anchored head and end there (so removing the newest entries, recomputing the chain,
    /// or appending entries with well-computed hashes shows).
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(WatchDbContext db, CancellationToken cancellationToken, int maxProblems = 20, AuditAnchor? anchor = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var problems = new List<string>();
        var (heads, anchorProblems) = anchor?.Read() ?? ([], []);
        problems.AddRange(anchorProblems.Take(maxProblems));
        var anchored = new Dictionary<long, string>();
        foreach (var (sequence, hash) in heads)
        {
            anchored[sequence] = hash;
        }

        var unsealed = await db.Audit.CountAsync(a => a.Sequence == null, cancellationToken);
        if (unsealed > 0)
        {
            problems.Add($"{unsealed} entries are outside the chain (written without it)");
        }

        long expected = 1, count = 0;
        var previous = Genesis;
        await foreach (var entry in db.Audit.AsNoTracking().Where(a => a.Sequence != null).OrderBy(a => a.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            if (entry.Sequence != expected)
            {
                problems.Add(FormattableString.Invariant($"sequence {expected}: missing (next is {entry.Sequence}, entry id {entry.Id})"));
                expected = entry.Sequence!.Value;
            }

            if (entry.PreviousHash != previous)
            {
                problems.Add(FormattableString.Invariant($"sequence {entry.Sequence} (entry id {entry.Id}): does not follow the entry before it"));
            }

            if (entry.Hash != ComputeHash(entry, entry.PreviousHash ?? string.Empty))
            {
                problems.Add(FormattableString.Invariant($"sequence {entry.Sequence} (entry id {entry.Id}, {entry.Action} {entry.Target}): changed after it was written"));
            }

            if (anchored.TryGetValue(entry.Sequence!.Value, out var anchoredHash) && anchoredHash != entry.Hash)
            {
                problems.Add(FormattableString.Invariant($"sequence {entry.Sequence} (entry id {entry.Id}): its hash is not the one anchored in {AuditAnchor.LogFileName} (the chain was rewritten)"));
            }

            previous = entry.Hash ?? string.Empty;
            expected++;
            if (problems.Count >= maxProblems)
            {
                break;
            }
        }

        if (heads.Count > 0 && problems.Count < maxProblems)
        {
            var newest = heads.Max(h => h.Sequence);
            var last = await db.Audit.Where(a => a.Sequence != null).MaxAsync(a => a.Sequence, cancellationToken) ?? 0;
            if (last < newest)
            {
                problems.Add(FormattableString.Invariant($"the chain ends at sequence {last}, but {AuditAnchor.LogFileName} anchored sequence {newest}: the newest {newest - last} entries were removed"));
            }
            else if (last > newest)
            {
                // Every commit anchors its head right after it commits: give one in flight a moment, then read again.
                await Task.Delay(AnchorGrace, cancellationToken);
                var (again, _) = anchor!.Read();
                newest = again.Count == 0 ? newest : Math.Max(newest, again.Max(h => h.Sequence));
                if (last > newest)
                {
                    problems.Add(FormattableString.Invariant($"sequence {newest + 1} to {last}: after the newest head anchored in {AuditAnchor.LogFileName} (sequence {newest}): entries added to the database outside ExamNetWatch, or by a process that stopped between its commit and its anchor"));
                }
            }
        }

        return new AuditVerification(count, previous, problems) { Anchored = heads.Count };
    }
}

/// <summary>The outcome of <see cref="AuditChain.VerifyAsync"/>: entries read, the last hash (the chain's head) and the problems.</summary>
public sealed record AuditVerification(long Entries, string HeadHash, IReadOnlyList<string> Problems)
{
    public bool Holds => Problems.Count == 0;

    /// <summary>Gets how many heads anchored outside the database were checked (0: none, or no anchor given).</summary>
    public int Anchored { get; init; }
}
