namespace ExamNetWatch.Indexer.Indexing;

/// <summary>The search index of posts (embedded Lucene.NET by default; Elasticsearch in production).</summary>
public interface IPostIndex : IDisposable
{
    /// <summary>Adds or replaces the document of a post (keyed by <see cref="PostDocument.PostId"/>) and makes it searchable.</summary>
    void Upsert(IReadOnlyCollection<PostDocument> documents);

    /// <summary>Searches title and text; returns the best hits with highlighted snippets.</summary>
    IReadOnlyList<SearchHit> Search(string query, int max);

    /// <summary>Gets the number of documents in the index.</summary>
    int Count { get; }
}
