namespace ExamNetWatch.Indexer.Search;

/// <summary>How results are ordered.</summary>
public enum SearchSort
{
    /// <summary>Best match first (ties: newest first).</summary>
    Relevance,

    /// <summary>Newest post first.</summary>
    Newest,

    /// <summary>Oldest post first.</summary>
    Oldest,
}

/// <summary>
/// One search: a query in <see cref="SearchQuery"/> syntax (empty: everything that passes the filters), filters, order,
/// paging, and whether to compute highlighted snippets and aggregations.
/// </summary>
public sealed record SearchRequest
{
    public const int MaxPageSize = 200;

    /// <summary>Gets the query text (words, "quoted phrases", -exclusions).</summary>
    public string Query { get; init; } = string.Empty;

    /// <summary>Gets the sources to search in (empty: all).</summary>
    public IReadOnlyList<int> SourceIds { get; init; } = [];

    /// <summary>Gets the earliest post time (inclusive); the time of a post is when it was published, else fetched.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the latest post time (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the severities to keep (names: none, low, medium, high, critical; empty: all).</summary>
    public IReadOnlyList<string> Severities { get; init; } = [];

    /// <summary>Gets the categories to keep (a post with any of them passes; empty: all).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the triage statuses to keep (a post without an alert has none; empty: all).</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>Gets whether only posts that raised an alert are kept.</summary>
    public bool AlertsOnly { get; init; }

    /// <summary>Gets the order of results.</summary>
    public SearchSort Sort { get; init; } = SearchSort.Relevance;

    /// <summary>Gets the 1-based page.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Gets the number of hits per page (1–200).</summary>
    public int PageSize { get; init; } = 20;

    /// <summary>Gets whether hits carry highlighted snippets.</summary>
    public bool Highlight { get; init; } = true;

    /// <summary>Gets whether counts per day, source, category and severity are computed over all matching posts.</summary>
    public bool Aggregate { get; init; }

    /// <summary>Gets the offset of the calendar used for per-day counts (China Standard Time by default).</summary>
    public TimeSpan DayOffset { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Throws <see cref="ArgumentException"/> with a clear message when the request cannot be run.</summary>
    public void Validate()
    {
        if (Page < 1)
        {
            throw new ArgumentException($"page must be 1 or more (was {Page})");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentException($"page size must be between 1 and {MaxPageSize} (was {PageSize})");
        }

        if (From is { } from && To is { } to && to <= from)
        {
            throw new ArgumentException("the end of the time range must be after its start");
        }

        if ((long)Page * PageSize > 10_000)
        {
            throw new ArgumentException("results beyond the first 10,000 cannot be paged to; narrow the search");
        }
    }
}
