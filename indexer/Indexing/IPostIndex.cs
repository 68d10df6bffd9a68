using ExamNetWatch.Indexer.Search;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The search index of posts: embedded Lucene.NET by default, Elasticsearch in production. Both pass the same contract
/// tests. Writes are idempotent (a post is keyed by its id), so replaying a batch after a failure does no harm.
/// A backend that cannot be reached or written throws <see cref="IndexUnavailableException"/>.
/// </summary>
public interface IPostIndex : ISearch, IDisposable
{
    /// <summary>Gets the backend's name (lucene, elasticsearch).</summary>
    string Backend { get; }

    /// <summary>Adds or replaces the documents of posts (keyed by <see cref="PostDocument.PostId"/>) and makes them searchable.</summary>
    Task IndexAsync(IReadOnlyCollection<PostDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>Sets the alert and triage status of an indexed post; a post that is not in the index is ignored.</summary>
    Task UpdateTriageAsync(string postId, long alertId, string status, CancellationToken cancellationToken = default);

    /// <summary>Removes posts from the index (retention); ids not in the index are ignored.</summary>
    Task DeleteAsync(IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default);

    /// <summary>Gets the number of posts in the index.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Recreates the index from <paramref name="batches"/> (all posts there are): searches keep seeing the old index
    /// until the new one is complete, then it replaces the old one at once. Returns the number of posts indexed.
    /// </summary>
    Task<long> RebuildAsync(IAsyncEnumerable<IReadOnlyList<PostDocument>> batches, CancellationToken cancellationToken = default);
}

/// <summary>The index cannot be written or read now (Elasticsearch unreachable, the Lucene directory locked…).</summary>
public sealed class IndexUnavailableException : Exception
{
    public IndexUnavailableException()
    {
    }

    public IndexUnavailableException(string message)
        : base(message)
    {
    }

    public IndexUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
