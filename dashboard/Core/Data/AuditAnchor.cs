using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// Anchors the audit chain outside the database. After every commit that extends the chain, the new head (sequence and
/// hash) is appended to <c>audit-anchor.log</c> in the data directory (with <c>Storage:KeysPath</c>: on that shared
/// volume, one log for every process) with an HMAC-SHA256 under a key kept in <c>keys/audit-anchor.key</c> (created on
/// first use, readable by the owner only). Someone who can rewrite the
/// database but not those files cannot remove the newest entries or recompute the chain unnoticed:
/// <see cref="AuditChain.VerifyAsync"/> checks every anchored head against the chain and the newest against its end.
/// It does not stop someone who holds the key and the log as well; what it proves is that the database holds what
/// the installation wrote, as far as the last anchor.
/// </summary>
public sealed class AuditAnchor
{
    public const string KeyFileName = "audit-anchor.key";
    public const string LogFileName = "audit-anchor.log";

    private static readonly object Gate = new();
    private readonly byte[] _key;

    /// <param name="logPath">The anchor log (appended to).</param>
    /// <param name="keyPath">The HMAC key (32 random bytes, created if missing).</param>
    public AuditAnchor(string logPath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(logPath);
        ArgumentNullException.ThrowIfNull(keyPath);
        LogPath = logPath;
        lock (Gate)
        {
            _key = Hosting.KeyFiles.ReadOrCreate(keyPath, () => RandomNumberGenerator.GetBytes(32));
        }

        if (_key.Length < 32)
        {
            throw new InvalidOperationException($"{keyPath} is not an audit anchor key (32 bytes expected).");
        }
    }

    /// <summary>Gets the anchor log's path.</summary>
    public string LogPath { get; }

    /// <summary>Appends the head <paramref name="sequence"/>/<paramref name="hash"/> of the chain.</summary>
    public void Append(long sequence, string hash, DateTime atUtc)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{sequence}\t{hash}\t{atUtc:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'}");
        var line = body + "\t" + Mac(body) + "\n";
        lock (Gate)
        {
            // Several processes may share the log (the production profile's keys volume): each line is written under an
            // exclusive lock of the file, so lines never interleave. A writer holds it for one small write.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    using var file = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.None);
                    file.Write(Encoding.UTF8.GetBytes(line));
                    file.Flush(flushToDisk: true);
                    return;
                }
                catch (IOException) when (attempt < 200 && File.Exists(LogPath))
                {
                    Thread.Sleep(10);
                }
            }
        }
    }

    /// <summary>Reads the anchored heads, in order; a line whose MAC does not hold is reported, not returned.</summary>
    public (IReadOnlyList<(long Sequence, string Hash)> Heads, IReadOnlyList<string> Problems) Read()
    {
        var heads = new List<(long, string)>();
        var problems = new List<string>();
        if (!File.Exists(LogPath))
        {
            return (heads, problems);
        }

        var number = 0;
        foreach (var line in File.ReadLines(LogPath))
        {
            number++;
            var fields = line.Split('\t');
            if (fields.Length != 4 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(string.Join('\t', fields[..3]))), Encoding.ASCII.GetBytes(fields[3])))
            {
                problems.Add(FormattableString.Invariant($"{LogFileName} line {number}: not an anchor written with this installation's key"));
                continue;
            }

            heads.Add((sequence, fields[1]));
        }

        return (heads, problems);
    }

    private string Mac(string body) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(body)));
}

/// <summary>Writes the chain's new head to the <see cref="AuditAnchor"/> once the transaction that extended it commits.</summary>
public sealed class AuditAnchorInterceptor(AuditAnchor anchor, TimeProvider time) : DbTransactionInterceptor
{
    public override async Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Anchor(eventData);
        await base.TransactionCommittedAsync(transaction, eventData, cancellationToken);
    }

    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData)
    {
        Anchor(eventData);
        base.TransactionCommitted(transaction, eventData);
    }

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as WatchDbContext)?.TakeUnanchoredHead();
        return base.TransactionRolledBackAsync(transaction, eventData, cancellationToken);
    }

    private void Anchor(TransactionEndEventData eventData)
    {
        if ((eventData.Context as WatchDbContext)?.TakeUnanchoredHead() is { } head)
        {
            anchor.Append(head.Sequence, head.Hash, time.GetUtcNow().UtcDateTime);
        }
    }
}
