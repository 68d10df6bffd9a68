using System.Globalization;
using System.Text.Json.Nodes;
using ExamNetWatch.Indexer.Search;
using SearchRequest = ExamNetWatch.Indexer.Search.SearchRequest;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The Elasticsearch query DSL for a search: words as <c>term</c> queries on the jieba fields, phrases as
/// <c>match_phrase</c> on the character fields, filters, order, paging, highlighting and aggregations.
/// </summary>
internal static class ElasticsearchQueries
{
    /// <summary>Builds the _search body for a request.</summary>
    public static JsonObject BuildSearch(SearchRequest request, SearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(query);
        var must = new JsonArray();
        var mustNot = new JsonArray();
        foreach (var part in query.Include)
        {
            must.Add(PartQuery(part));
        }

        foreach (var part in query.Exclude)
        {
            mustNot.Add(PartQuery(part));
        }

        var filter = new JsonArray();
        AnyOf(filter, PostFields.Source, request.SourceIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        AnyOf(filter, PostFields.Severity, request.Severities);
        AnyOf(filter, PostFields.Category, request.Categories);
        AnyOf(filter, PostFields.Status, request.Statuses);
        if (request.AlertsOnly)
        {
            filter.Add(new JsonObject { ["term"] = new JsonObject { [PostFields.HasAlert] = true } });
        }

        if (request.From is not null || request.To is not null)
        {
            var range = new JsonObject();
            if (request.From is { } from)
            {
                range["gte"] = from.ToUnixTimeMilliseconds();
            }

            if (request.To is { } to)
            {
                range["lt"] = to.ToUnixTimeMilliseconds();
            }

            filter.Add(new JsonObject { ["range"] = new JsonObject { [PostFields.Time] = range } });
        }

        var boolQuery = new JsonObject();
        if (must.Count > 0)
        {
            boolQuery["must"] = must;
        }
        else
        {
            boolQuery["must"] = new JsonArray(new JsonObject { ["match_all"] = new JsonObject() });
        }

        if (mustNot.Count > 0)
        {
            boolQuery["must_not"] = mustNot;
        }

        if (filter.Count > 0)
        {
            boolQuery["filter"] = filter;
        }

        var body = new JsonObject
        {
            ["query"] = new JsonObject { ["bool"] = boolQuery },
            ["from"] = (request.Page - 1) * request.PageSize,
            ["size"] = request.PageSize,
            ["track_total_hits"] = true,
            ["sort"] = request.Sort switch
            {
                SearchSort.Newest => new JsonArray(new JsonObject { [PostFields.Time] = "desc" }),
                SearchSort.Oldest => new JsonArray(new JsonObject { [PostFields.Time] = "asc" }),
                _ => new JsonArray(new JsonObject { ["_score"] = "desc" }, new JsonObject { [PostFields.Time] = "desc" }),
            },
        };

        var marks = new JsonArray();
        foreach (var text in query.HighlightTexts())
        {
            marks.Add(new JsonObject { ["match_phrase"] = new JsonObject { [PostFields.Text] = text } });
        }

        if (request.Highlight && marks.Count > 0)
        {
            body["highlight"] = new JsonObject
            {
                ["pre_tags"] = new JsonArray("<mark>"),
                ["post_tags"] = new JsonArray("</mark>"),
                ["encoder"] = "html",
                ["fields"] = new JsonObject
                {
                    [PostFields.Text] = new JsonObject
                    {
                        ["fragment_size"] = 100,
                        ["number_of_fragments"] = 2,
                        ["no_match_size"] = 100,
                        ["highlight_query"] = new JsonObject { ["bool"] = new JsonObject { ["should"] = marks } },
                    },
                },
            };
        }

        if (request.Aggregate)
        {
            var offset = request.DayOffset;
            var zone = (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
            body["aggs"] = new JsonObject
            {
                ["per_day"] = new JsonObject
                {
                    ["date_histogram"] = new JsonObject { ["field"] = PostFields.Time, ["calendar_interval"] = "day", ["time_zone"] = zone, ["format"] = "yyyy-MM-dd", ["min_doc_count"] = 1 },
                },
                ["per_source"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = PostFields.Source, ["size"] = 500 } },
                ["per_category"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = PostFields.Category, ["size"] = 50 } },
                ["per_severity"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = PostFields.Severity, ["size"] = 10 } },
            };
        }

        return body;
    }

    private static JsonObject PartQuery(QueryPart part)
    {
        if (part.IsPhrase)
        {
            return Either(
                new JsonObject { ["match_phrase"] = new JsonObject { [PostFields.Title] = part.Text } },
                new JsonObject { ["match_phrase"] = new JsonObject { [PostFields.Text] = part.Text } });
        }

        var all = new JsonArray();
        foreach (var token in part.Tokens)
        {
            all.Add(Either(
                new JsonObject { ["term"] = new JsonObject { [PostFields.TitleWords] = token } },
                new JsonObject { ["term"] = new JsonObject { [PostFields.TextWords] = token } }));
        }

        return new JsonObject { ["bool"] = new JsonObject { ["must"] = all } };
    }

    private static JsonObject Either(JsonObject first, JsonObject second) =>
        new() { ["bool"] = new JsonObject { ["should"] = new JsonArray(first, second), ["minimum_should_match"] = 1 } };

    private static void AnyOf(JsonArray filter, string field, IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count > 0)
        {
            filter.Add(new JsonObject { ["terms"] = new JsonObject { [field] = new JsonArray([.. list.Select(v => (JsonNode)v)]) } });
        }
    }
}
