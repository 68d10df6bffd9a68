using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// A post as an Elasticsearch document (the fields of deploy/elasticsearch/posts-template.json) and bulk NDJSON;
/// jieba's search-mode words go in <c>title_seg</c>/<c>text_seg</c>, as Elasticsearch has no jieba.
/// </summary>
internal sealed class ElasticsearchDocuments(ChineseSegmenter segmenter)
{
    /// <summary>Builds the bulk NDJSON that indexes <paramref name="documents"/> into <paramref name="index"/>.</summary>
    public string BuildBulk(string index, IEnumerable<PostDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var body = new StringBuilder();
        foreach (var document in documents)
        {
            body.Append(new JsonObject { ["index"] = new JsonObject { ["_index"] = index, ["_id"] = document.PostId } }.ToJsonString()).Append('\n');
            body.Append(ToSource(document).ToJsonString()).Append('\n');
        }

        return body.ToString();
    }

    private JsonObject ToSource(PostDocument post)
    {
        var source = new JsonObject
        {
            [PostFields.Id] = post.PostId,
            [PostFields.Thread] = post.ThreadId,
            [PostFields.Source] = post.SourceId.ToString(CultureInfo.InvariantCulture),
            [PostFields.Url] = post.Url,
            [PostFields.Title] = post.Title,
            [PostFields.Text] = post.Text,
            [PostFields.TitleWords] = Words(post.Title),
            [PostFields.TextWords] = Words(post.Text),
            [PostFields.Time] = post.Time.ToUnixTimeMilliseconds(),
            [PostFields.Fetched] = post.FetchedAt.ToUnixTimeMilliseconds(),
            [PostFields.Severity] = post.Severity,
            [PostFields.Score] = post.Score,
            [PostFields.Category] = new JsonArray([.. post.Categories.Distinct(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
            [PostFields.Term] = new JsonArray([.. post.MatchedTerms.Select(t => (JsonNode)t)]),
            [PostFields.Contact] = new JsonArray([.. post.Contacts.Select(c => (JsonNode)c)]),
            [PostFields.HasAlert] = post.AlertId is not null,
        };
        if (post.Author is not null)
        {
            source[PostFields.Author] = post.Author;
        }

        if (post.PublishedAt is { } published)
        {
            source[PostFields.Published] = published.ToUnixTimeMilliseconds();
        }

        if (post.AlertId is { } alertId)
        {
            source[PostFields.ElasticsearchAlert] = alertId;
        }

        if (post.Status is not null)
        {
            source[PostFields.Status] = post.Status;
        }

        return source;
    }

    /// <summary>jieba's search-mode words (sub-words included), separated by spaces, for the whitespace analyzer.</summary>
    private string Words(string text) => string.Join(' ', segmenter.Tokenize(text).Select(t => t.Word.Replace(' ', '_')));
}
