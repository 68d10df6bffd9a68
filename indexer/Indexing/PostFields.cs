namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The names of a post's fields in the index, in one place, so writing, querying, sorting, aggregating and reading
/// back agree — in the embedded Lucene index and in Elasticsearch (whose template,
/// deploy/elasticsearch/posts-template.json, maps the same names).
/// </summary>
internal static class PostFields
{
    public const string Id = "id";
    public const string Thread = "thread";
    public const string Source = "source";
    public const string Url = "url";

    /// <summary>The title as characters (phrases, highlighting).</summary>
    public const string Title = "title";

    /// <summary>The text as characters (phrases, highlighting).</summary>
    public const string Text = "text";

    /// <summary>The title as jieba words (word queries).</summary>
    public const string TitleWords = "title_seg";

    /// <summary>The text as jieba words (word queries).</summary>
    public const string TextWords = "text_seg";

    /// <summary>When the post was published, or else fetched (milliseconds since 1970).</summary>
    public const string Time = "time";

    public const string Fetched = "fetched";
    public const string Published = "published";
    public const string Author = "author";
    public const string Severity = "severity";
    public const string Score = "score";
    public const string Category = "category";

    /// <summary>The watch-list terms the post matched.</summary>
    public const string Term = "term";

    public const string Contact = "contact";
    public const string HasAlert = "has_alert";

    /// <summary>The triage status of the post's alert.</summary>
    public const string Status = "status";

    /// <summary>The alert's id in Lucene.</summary>
    public const string LuceneAlert = "alert";

    /// <summary>The alert's id in Elasticsearch.</summary>
    public const string ElasticsearchAlert = "alert_id";

    /// <summary>Lucene's doc values of <see cref="Time"/> (sorting, per-day counts).</summary>
    public const string TimeValues = "time_dv";

    /// <summary>Lucene's doc values of <see cref="Source"/> (per-source counts).</summary>
    public const string SourceValues = "source_dv";

    /// <summary>Lucene's doc values of <see cref="Category"/> (per-category counts).</summary>
    public const string CategoryValues = "category_dv";

    /// <summary>Lucene's doc values of <see cref="Severity"/> (per-severity counts).</summary>
    public const string SeverityValues = "severity_dv";
}
