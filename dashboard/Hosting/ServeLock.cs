using Microsoft.Data.Sqlite;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>A second server started on a data directory that a running one already owns.</summary>
public sealed class DataDirectoryInUseException(string dataDir, Exception inner)
    : IOException($"another ExamNetWatch server is running on the data directory {dataDir} (it holds {ServeLock.FileName})", inner);

/// <summary>
/// One server per data directory: an exclusive lock on <c>serve.lock</c>, held while the server runs and released by
/// the operating system when the process ends, however it ends. Holding it, the server knows that whatever the
/// embedded Hangfire database says is running or locked was left by a process that died (killed, power cut): it frees
/// those locks and puts the jobs they held back in the queue, so a restart goes on at once instead of after Hangfire's
/// lock lifetime (30 s) and invisibility timeout (30 min).
/// </summary>
public sealed class ServeLock : IDisposable
{
    public const string FileName = "serve.lock";

    private readonly FileStream _file;

    private ServeLock(FileStream file) => _file = file;

    /// <summary>Takes the data directory for this process, or throws <see cref="DataDirectoryInUseException"/>.</summary>
    public static ServeLock Acquire(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, as on Windows a share lock.
            return new ServeLock(new FileStream(Path.Combine(dataDir, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new DataDirectoryInUseException(dataDir, e);
        }
    }

    /// <summary>
    /// Frees the distributed locks and requeues the fetched jobs a dead predecessor left in the embedded Hangfire
    /// database at <paramref name="hangfirePath"/>; returns how many jobs went back to the queue. Call it holding the lock
    /// and before the Hangfire server starts.
    /// </summary>
    public int RecoverHangfire(string hangfirePath)
    {
        ObjectDisposedException.ThrowIf(!_file.CanRead, this);
        if (!File.Exists(hangfirePath))
        {
            return 0;
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = hangfirePath, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('DistributedLock', 'JobQueue')";
        if (Convert.ToInt32(tables.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 2)
        {
            return 0;
        }

        using var transaction = connection.BeginTransaction();
        using var locks = connection.CreateCommand();
        locks.Transaction = transaction;
        locks.CommandText = "DELETE FROM DistributedLock";
        locks.ExecuteNonQuery();
        using var queue = connection.CreateCommand();
        queue.Transaction = transaction;
        queue.CommandText = "UPDATE JobQueue SET FetchedAt = NULL WHERE FetchedAt IS NOT NULL";
        var requeued = queue.ExecuteNonQuery();
        transaction.Commit();
        return requeued;
    }

    public void Dispose() => _file.Dispose();
}
