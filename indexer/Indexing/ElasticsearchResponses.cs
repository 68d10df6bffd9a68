using System.Globalization;
using System.Text.Json.Nodes;
using ExamNetWatch.Indexer.Search;
using SearchRequest = ExamNetWatch.Indexer.Search.SearchRequest;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>Reads Elasticsearch's answers: search hits, highlights and buckets; refused bulk items.</summary>
internal static class ElasticsearchResponses
{
    /// <summary>Reads a _search response.</summary>
    public static SearchResults ReadSearch(JsonNode response, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        var hits = new List<SearchHit>();
        var total = response["hits"]?["total"]?["value"]?.GetValue<long>() ?? 0;
        foreach (var hit in response["hits"]?["hits"]?.AsArray() ?? [])
        {
            var source = hit!["_source"]!;
            var text = source[PostFields.Text]?.GetValue<string>() ?? string.Empty;
            var fragments = hit["highlight"]?[PostFields.Text]?.AsArray().Select(f => f!.GetValue<string>()).ToList();
            var snippet = fragments is { Count: > 0 }
                ? string.Join(" … ", fragments).Replace("</mark><mark>", string.Empty, StringComparison.Ordinal)
                : System.Net.WebUtility.HtmlEncode(text.Length > 100 ? text[..100] + "…" : text);
            hits.Add(new SearchHit(
                source[PostFields.Id]!.GetValue<string>(),
                source[PostFields.Thread]?.GetValue<string>() ?? string.Empty,
                int.Parse(source[PostFields.Source]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture),
                source[PostFields.Url]?.GetValue<string>() ?? string.Empty,
                source[PostFields.Title]?.GetValue<string>() ?? string.Empty,
                snippet,
                source[PostFields.Severity]?.GetValue<string>() ?? "none",
                source[PostFields.Score]?.GetValue<double>() ?? 0,
                [.. source[PostFields.Category]?.AsArray().Select(c => c!.GetValue<string>()) ?? []],
                DateTimeOffset.FromUnixTimeMilliseconds(source[PostFields.Time]?.GetValue<long>() ?? 0),
                source[PostFields.ElasticsearchAlert]?.GetValue<long>(),
                source[PostFields.Status]?.GetValue<string>(),
                hit["_score"] is JsonValue score && score.TryGetValue<double>(out var s) ? s : 0));
        }

        SearchAggregations? aggregations = null;
        if (request.Aggregate)
        {
            var aggs = response["aggregations"];
            aggregations = new SearchAggregations(Buckets(aggs?["per_day"], "key_as_string"), Buckets(aggs?["per_source"], "key"), Buckets(aggs?["per_category"], "key"), Buckets(aggs?["per_severity"], "key"));
        }

        return new SearchResults(total, hits, aggregations);
    }

    private static List<SearchBucket> Buckets(JsonNode? aggregation, string key) =>
        [.. (aggregation?["buckets"]?.AsArray() ?? []).Select(b => new SearchBucket(b![key]!.ToString(), b["doc_count"]!.GetValue<long>()))];

    public static void CheckBulk(JsonNode? response)
    {
        if (response?["errors"]?.GetValue<bool>() != true)
        {
            return;
        }

        var failed = response["items"]!.AsArray()
            .Select(item => item!.AsObject().First().Value)
            .FirstOrDefault(result => result?["error"] is not null && result["status"]?.GetValue<int>() != 404);
        if (failed is not null)
        {
            throw new IndexUnavailableException($"Elasticsearch refused a bulk item: {failed["error"]?["reason"]}");
        }
    }
}
