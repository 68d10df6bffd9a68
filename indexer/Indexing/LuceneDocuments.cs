using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Util;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// A post as a Lucene document and back: every field stored (so a triage update can rewrite it), title and text twice
/// (character field for phrases and highlights, jieba field for words), keyword fields for filters and doc values for
/// sorting and aggregations.
/// </summary>
internal static class LuceneDocuments
{
    public static Document ToLucene(PostDocument post)
    {
        var time = post.Time.ToUnixTimeMilliseconds();
        var doc = new Document
        {
            new StringField("id", post.PostId, Field.Store.YES),
            new StringField("thread", post.ThreadId, Field.Store.YES),
            new StringField("source", post.SourceId.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new SortedDocValuesField("source_dv", new BytesRef(post.SourceId.ToString(CultureInfo.InvariantCulture))),
            new StoredField("url", post.Url),
            new TextField("title", post.Title, Field.Store.YES),
            new TextField("text", post.Text, Field.Store.YES),
            new TextField("title_seg", post.Title, Field.Store.NO),
            new TextField("text_seg", post.Text, Field.Store.NO),
            new Int64Field("time", time, Field.Store.NO),
            new NumericDocValuesField("time_dv", time),
            new StoredField("fetched", post.FetchedAt.ToUnixTimeMilliseconds()),
            new StringField("severity", post.Severity, Field.Store.YES),
            new SortedDocValuesField("severity_dv", new BytesRef(post.Severity)),
            new StoredField("score", post.Score),
        };
        if (post.Author is not null)
        {
            doc.Add(new StringField("author", post.Author, Field.Store.YES));
        }

        if (post.PublishedAt is { } published)
        {
            doc.Add(new StoredField("published", published.ToUnixTimeMilliseconds()));
        }

        if (post.AlertId is { } alertId)
        {
            doc.Add(new StoredField("alert", alertId));
            doc.Add(new StringField("has_alert", "1", Field.Store.NO));
        }

        if (post.Status is not null)
        {
            doc.Add(new StringField("status", post.Status, Field.Store.YES));
        }

        foreach (var category in post.Categories.Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField("category", category, Field.Store.YES));
            doc.Add(new SortedSetDocValuesField("category_dv", new BytesRef(category)));
        }

        foreach (var term in post.MatchedTerms)
        {
            doc.Add(new StringField("term", term, Field.Store.YES));
        }

        foreach (var contact in post.Contacts)
        {
            doc.Add(new StringField("contact", contact, Field.Store.YES));
        }

        return doc;
    }

    public static PostDocument FromStored(Document doc)
    {
        static DateTimeOffset? Time(Document doc, string field) =>
            doc.GetField(field)?.GetInt64Value() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        return new PostDocument(
            doc.Get("id", CultureInfo.InvariantCulture),
            doc.Get("thread", CultureInfo.InvariantCulture),
            int.Parse(doc.Get("source", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            doc.Get("url", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("title", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("text", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("author", CultureInfo.InvariantCulture),
            Time(doc, "published"),
            Time(doc, "fetched") ?? DateTimeOffset.UnixEpoch,
            doc.Get("severity", CultureInfo.InvariantCulture) ?? "none",
            doc.GetField("score")?.GetDoubleValue() ?? 0,
            doc.GetValues("category", CultureInfo.InvariantCulture),
            doc.GetValues("term", CultureInfo.InvariantCulture),
            doc.GetValues("contact", CultureInfo.InvariantCulture),
            doc.GetField("alert")?.GetInt64Value(),
            doc.Get("status", CultureInfo.InvariantCulture));
    }
}
