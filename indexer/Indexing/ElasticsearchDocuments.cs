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
            ["id"] = post.PostId,
            ["thread"] = post.ThreadId,
            ["source"] = post.SourceId.ToString(CultureInfo.InvariantCulture),
            ["url"] = post.Url,
            ["title"] = post.Title,
            ["text"] = post.Text,
            ["title_seg"] = Words(post.Title),
            ["text_seg"] = Words(post.Text),
            ["time"] = post.Time.ToUnixTimeMilliseconds(),
            ["fetched"] = post.FetchedAt.ToUnixTimeMilliseconds(),
            ["severity"] = post.Severity,
            ["score"] = post.Score,
            ["category"] = new JsonArray([.. post.Categories.Distinct(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
            ["term"] = new JsonArray([.. post.MatchedTerms.Select(t => (JsonNode)t)]),
            ["contact"] = new JsonArray([.. post.Contacts.Select(c => (JsonNode)c)]),
            ["has_alert"] = post.AlertId is not null,
        };
        if (post.Author is not null)
        {
            source["author"] = post.Author;
        }

        if (post.PublishedAt is { } published)
        {
            source["published"] = published.ToUnixTimeMilliseconds();
        }

        if (post.AlertId is { } alertId)
        {
            source["alert_id"] = alertId;
        }

        if (post.Status is not null)
        {
            source["status"] = post.Status;
        }

        return source;
    }

    /// <summary>jieba's search-mode words (sub-words included), separated by spaces, for the whitespace analyzer.</summary>
    private string Words(string text) => string.Join(' ', segmenter.Tokenize(text).Select(t => t.Word.Replace(' ', '_')));
}
