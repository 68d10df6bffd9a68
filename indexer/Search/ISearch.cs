namespace ExamNetWatch.Indexer.Search;

/// <summary>Searches the indexed posts; what the dashboard and <c>examnetwatch search</c> use.</summary>
public interface ISearch
{
    /// <summary>Runs <paramref name="request"/>; throws <see cref="ArgumentException"/> for a request that cannot be run.</summary>
    Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);
}
