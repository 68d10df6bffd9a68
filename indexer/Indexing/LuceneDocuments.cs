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
            new StringField(PostFields.Id, post.PostId, Field.Store.YES),
            new StringField(PostFields.Thread, post.ThreadId, Field.Store.YES),
            new StringField(PostFields.Source, post.SourceId.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new SortedDocValuesField(PostFields.SourceValues, new BytesRef(post.SourceId.ToString(CultureInfo.InvariantCulture))),
            new StoredField(PostFields.Url, post.Url),
            new TextField(PostFields.Title, post.Title, Field.Store.YES),
            new TextField(PostFields.Text, post.Text, Field.Store.YES),
            new TextField(PostFields.TitleWords, post.Title, Field.Store.NO),
            new TextField(PostFields.TextWords, post.Text, Field.Store.NO),
            new Int64Field(PostFields.Time, time, Field.Store.NO),
            new NumericDocValuesField(PostFields.TimeValues, time),
            new StoredField(PostFields.Fetched, post.FetchedAt.ToUnixTimeMilliseconds()),
            new StringField(PostFields.Severity, post.Severity, Field.Store.YES),
            new SortedDocValuesField(PostFields.SeverityValues, new BytesRef(post.Severity)),
            new StoredField(PostFields.Score, post.Score),
        };
        if (post.Author is not null)
        {
            doc.Add(new StringField(PostFields.Author, post.Author, Field.Store.YES));
        }

        if (post.PublishedAt is { } published)
        {
            doc.Add(new StoredField(PostFields.Published, published.ToUnixTimeMilliseconds()));
        }

        if (post.AlertId is { } alertId)
        {
            doc.Add(new StoredField(PostFields.LuceneAlert, alertId));
            doc.Add(new StringField(PostFields.HasAlert, "1", Field.Store.NO));
        }

        if (post.Status is not null)
        {
            doc.Add(new StringField(PostFields.Status, post.Status, Field.Store.YES));
        }

        foreach (var category in post.Categories.Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField(PostFields.Category, category, Field.Store.YES));
            doc.Add(new SortedSetDocValuesField(PostFields.CategoryValues, new BytesRef(category)));
        }

        foreach (var term in post.MatchedTerms)
        {
            doc.Add(new StringField(PostFields.Term, term, Field.Store.YES));
        }

        foreach (var contact in post.Contacts)
        {
            doc.Add(new StringField(PostFields.Contact, contact, Field.Store.YES));
        }

        return doc;
    }

    public static PostDocument FromStored(Document doc)
    {
        static DateTimeOffset? Time(Document doc, string field) =>
            doc.GetField(field)?.GetInt64Value() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        return new PostDocument(
            doc.Get(PostFields.Id, CultureInfo.InvariantCulture),
            doc.Get(PostFields.Thread, CultureInfo.InvariantCulture),
            int.Parse(doc.Get(PostFields.Source, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            doc.Get(PostFields.Url, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(PostFields.Title, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(PostFields.Text, CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get(PostFields.Author, CultureInfo.InvariantCulture),
            Time(doc, PostFields.Published),
            Time(doc, PostFields.Fetched) ?? DateTimeOffset.UnixEpoch,
            doc.Get(PostFields.Severity, CultureInfo.InvariantCulture) ?? "none",
            doc.GetField(PostFields.Score)?.GetDoubleValue() ?? 0,
            doc.GetValues(PostFields.Category, CultureInfo.InvariantCulture),
            doc.GetValues(PostFields.Term, CultureInfo.InvariantCulture),
            doc.GetValues(PostFields.Contact, CultureInfo.InvariantCulture),
            doc.GetField(PostFields.LuceneAlert)?.GetInt64Value(),
            doc.Get(PostFields.Status, CultureInfo.InvariantCulture));
    }
}
