using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Indexing;

/// <summary>Writes outbox entries; the caller's SaveChanges commits them with the change they describe.</summary>
public static class IndexOutbox
{
    /// <summary>Asks for the index to be brought in line with the database for <paramref name="postId"/>.</summary>
    public static void Enqueue(WatchDbContext db, string postId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.IndexOutbox.Add(new IndexOutboxEntry { PostId = postId, EnqueuedAtUtc = nowUtc });
    }
}
