namespace ExamNetWatch.Indexer.Indexing;

/// <summary>What the search index holds of one post: ids, where it was, what it says, and the verdict.</summary>
public sealed record PostDocument(
    string PostId,
    string ThreadId,
    int SourceId,
    string Url,
    string Title,
    string Text,
    string? Author,
    DateTimeOffset? PublishedAt,
    DateTimeOffset FetchedAt,
    string Severity,
    double Score,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> MatchedTerms,
    IReadOnlyList<string> Contacts,
    long? AlertId,
    string? Status);

/// <summary>One search result; <see cref="Snippet"/> is HTML: the text is encoded and matches wrapped in &lt;mark&gt;.</summary>
public sealed record SearchHit(string PostId, string Title, string Url, string Severity, string Snippet, float Score);
