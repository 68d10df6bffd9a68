namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// What the search index holds of one post: ids, where it was, what it says, the verdict, and the alert and its triage
/// status when there is one. The backends add the jieba words of title and text (search mode, sub-words overlapping).
/// </summary>
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
    string? Status)
{
    /// <summary>Gets the time the post is filed under: when it was published, else when it was fetched.</summary>
    public DateTimeOffset Time => PublishedAt ?? FetchedAt;
}
