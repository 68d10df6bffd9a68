namespace ExamNetWatch.Indexer.Search;

/// <summary>The answer to a <see cref="SearchRequest"/>: how many posts match, one page of hits, and aggregations if asked.</summary>
public sealed record SearchResults(long Total, IReadOnlyList<SearchHit> Hits, SearchAggregations? Aggregations);

/// <summary>
/// One matching post. <see cref="Snippet"/> is HTML: the text is encoded and each match is wrapped in &lt;mark&gt; once;
/// it is the start of the text when nothing is highlighted.
/// </summary>
public sealed record SearchHit(
    string PostId,
    string ThreadId,
    int SourceId,
    string Url,
    string Title,
    string Snippet,
    string Severity,
    double DetectionScore,
    IReadOnlyList<string> Categories,
    DateTimeOffset Time,
    long? AlertId,
    string? Status,
    double Relevance);

/// <summary>Counts of matching posts per day (in the request's calendar), source, category and severity.</summary>
public sealed record SearchAggregations(
    IReadOnlyList<SearchBucket> PerDay,
    IReadOnlyList<SearchBucket> PerSource,
    IReadOnlyList<SearchBucket> PerCategory,
    IReadOnlyList<SearchBucket> PerSeverity);

/// <summary>One bucket: a key (yyyy-MM-dd, a source id, a category or a severity) and how many posts fall in it.</summary>
public sealed record SearchBucket(string Key, long Count);
