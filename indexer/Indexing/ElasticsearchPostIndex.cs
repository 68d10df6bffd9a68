using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using SearchRequest = ExamNetWatch.Indexer.Search.SearchRequest;
using Elastic.Transport;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The production index: Elasticsearch through the official client (<see cref="ElasticsearchClient"/>). Requests are
/// the REST API's own JSON — bulk NDJSON, the query DSL, the index template in <c>deploy/elasticsearch/</c> — sent
/// over the client's transport (node pool, product check, authentication), so what goes on the wire is exactly what
/// the REST documentation describes and what the request-shape tests check. Documents carry jieba's words in
/// <c>title_seg</c>/<c>text_seg</c> (Elasticsearch has no jieba) and the raw text for phrases and highlighting, as
/// the Lucene backend does. All access is through an alias over a versioned index, so a rebuild swaps atomically.
/// </summary>
public sealed class ElasticsearchPostIndex : IPostIndex
{
    public const string DefaultAlias = "examnetwatch-posts";

    private readonly ElasticsearchClient _client;
    private readonly ChineseSegmenter _segmenter;
    private readonly string _alias;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;

    public ElasticsearchPostIndex(ElasticsearchClient client, ChineseSegmenter segmenter, string alias = DefaultAlias, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _segmenter = segmenter ?? throw new ArgumentNullException(nameof(segmenter));
        ArgumentException.ThrowIfNullOrEmpty(alias);
        _alias = alias;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Backend => "elasticsearch";

    /// <summary>Gets the index template the application installs (the file shipped in deploy/elasticsearch/).</summary>
    public static string TemplateJson { get; } = ReadTemplate();

    /// <inheritdoc />
    public async Task IndexAsync(IReadOnlyCollection<PostDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
        {
            return;
        }

        await EnsureAliasAsync(cancellationToken);
        await BulkAsync(_alias, documents, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UpdateTriageAsync(string postId, long alertId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(postId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        await EnsureAliasAsync(cancellationToken);
        var body = new JsonObject { ["doc"] = new JsonObject { ["alert_id"] = alertId, ["has_alert"] = true, ["status"] = status } };
        await SendAsync(Elastic.Transport.HttpMethod.POST, $"/{_alias}/_update/{Uri.EscapeDataString(postId)}?refresh=wait_for", body.ToJsonString(), cancellationToken, allowNotFound: true);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(postIds);
        if (postIds.Count == 0)
        {
            return;
        }

        await EnsureAliasAsync(cancellationToken);
        var body = new StringBuilder();
        foreach (var id in postIds)
        {
            body.Append(new JsonObject { ["delete"] = new JsonObject { ["_index"] = _alias, ["_id"] = id } }.ToJsonString()).Append('\n');
        }

        CheckBulk(await SendAsync(Elastic.Transport.HttpMethod.POST, "/_bulk?refresh=wait_for", body.ToString(), cancellationToken));
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(Elastic.Transport.HttpMethod.GET, $"/{_alias}/_count", null, cancellationToken, allowNotFound: true);
        return response is null ? 0 : response["count"]?.GetValue<long>() ?? 0;
    }

    /// <inheritdoc />
    public async Task<long> RebuildAsync(IAsyncEnumerable<IReadOnlyList<PostDocument>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await PutTemplateAsync(cancellationToken);
        var index = NewIndexName();
        await SendAsync(Elastic.Transport.HttpMethod.PUT, "/" + index, "{}", cancellationToken);
        long count = 0;
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            if (batch.Count > 0)
            {
                await BulkAsync(index, batch, cancellationToken);
                count += batch.Count;
            }
        }

        // Move the alias in one call: remove it from every index that has it, add it to the new one.
        var old = await AliasedIndicesAsync(cancellationToken);
        var actions = new JsonArray();
        foreach (var name in old)
        {
            actions.Add(new JsonObject { ["remove"] = new JsonObject { ["index"] = name, ["alias"] = _alias } });
        }

        actions.Add(new JsonObject { ["add"] = new JsonObject { ["index"] = index, ["alias"] = _alias, ["is_write_index"] = true } });
        await SendAsync(Elastic.Transport.HttpMethod.POST, "/_aliases", new JsonObject { ["actions"] = actions }.ToJsonString(), cancellationToken);
        foreach (var name in old)
        {
            await SendAsync(Elastic.Transport.HttpMethod.DELETE, "/" + name, null, cancellationToken, allowNotFound: true);
        }

        _ready = true;
        return count;
    }

    /// <inheritdoc />
    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var query = SearchQuery.Parse(request.Query, _segmenter);
        var response = await SendAsync(Elastic.Transport.HttpMethod.POST, $"/{_alias}/_search", BuildSearch(request, query).ToJsonString(), cancellationToken, allowNotFound: true);
        return response is null
            ? new SearchResults(0, [], request.Aggregate ? new SearchAggregations([], [], [], []) : null)
            : ReadSearch(response, request);
    }

    /// <inheritdoc />
    public void Dispose() => _setup.Dispose();

    /// <summary>Builds the _search body for a request (public for the request-shape tests).</summary>
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
        AnyOf(filter, "source", request.SourceIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        AnyOf(filter, "severity", request.Severities);
        AnyOf(filter, "category", request.Categories);
        AnyOf(filter, "status", request.Statuses);
        if (request.AlertsOnly)
        {
            filter.Add(new JsonObject { ["term"] = new JsonObject { ["has_alert"] = true } });
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

            filter.Add(new JsonObject { ["range"] = new JsonObject { ["time"] = range } });
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
                SearchSort.Newest => new JsonArray(new JsonObject { ["time"] = "desc" }),
                SearchSort.Oldest => new JsonArray(new JsonObject { ["time"] = "asc" }),
                _ => new JsonArray(new JsonObject { ["_score"] = "desc" }, new JsonObject { ["time"] = "desc" }),
            },
        };

        var marks = new JsonArray();
        foreach (var text in query.HighlightTexts())
        {
            marks.Add(new JsonObject { ["match_phrase"] = new JsonObject { ["text"] = text } });
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
                    ["text"] = new JsonObject
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
                    ["date_histogram"] = new JsonObject { ["field"] = "time", ["calendar_interval"] = "day", ["time_zone"] = zone, ["format"] = "yyyy-MM-dd", ["min_doc_count"] = 1 },
                },
                ["per_source"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "source", ["size"] = 500 } },
                ["per_category"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "category", ["size"] = 50 } },
                ["per_severity"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "severity", ["size"] = 10 } },
            };
        }

        return body;
    }

    /// <summary>Builds the bulk NDJSON that indexes <paramref name="documents"/> into <paramref name="index"/> (public for the request-shape tests).</summary>
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
    private string Words(string text) => string.Join(' ', _segmenter.Tokenize(text).Select(t => t.Word.Replace(' ', '_')));

    private static JsonObject PartQuery(QueryPart part)
    {
        if (part.IsPhrase)
        {
            return Either(
                new JsonObject { ["match_phrase"] = new JsonObject { ["title"] = part.Text } },
                new JsonObject { ["match_phrase"] = new JsonObject { ["text"] = part.Text } });
        }

        var all = new JsonArray();
        foreach (var token in part.Tokens)
        {
            all.Add(Either(
                new JsonObject { ["term"] = new JsonObject { ["title_seg"] = token } },
                new JsonObject { ["term"] = new JsonObject { ["text_seg"] = token } }));
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

    /// <summary>Reads a _search response (public for the response tests).</summary>
    public static SearchResults ReadSearch(JsonNode response, SearchRequest request)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        var hits = new List<SearchHit>();
        var total = response["hits"]?["total"]?["value"]?.GetValue<long>() ?? 0;
        foreach (var hit in response["hits"]?["hits"]?.AsArray() ?? [])
        {
            var source = hit!["_source"]!;
            var text = source["text"]?.GetValue<string>() ?? string.Empty;
            var fragments = hit["highlight"]?["text"]?.AsArray().Select(f => f!.GetValue<string>()).ToList();
            var snippet = fragments is { Count: > 0 }
                ? string.Join(" … ", fragments).Replace("</mark><mark>", string.Empty, StringComparison.Ordinal)
                : System.Net.WebUtility.HtmlEncode(text.Length > 100 ? text[..100] + "…" : text);
            hits.Add(new SearchHit(
                source["id"]!.GetValue<string>(),
                source["thread"]?.GetValue<string>() ?? string.Empty,
                int.Parse(source["source"]?.GetValue<string>() ?? "0", CultureInfo.InvariantCulture),
                source["url"]?.GetValue<string>() ?? string.Empty,
                source["title"]?.GetValue<string>() ?? string.Empty,
                snippet,
                source["severity"]?.GetValue<string>() ?? "none",
                source["score"]?.GetValue<double>() ?? 0,
                [.. source["category"]?.AsArray().Select(c => c!.GetValue<string>()) ?? []],
                DateTimeOffset.FromUnixTimeMilliseconds(source["time"]?.GetValue<long>() ?? 0),
                source["alert_id"]?.GetValue<long>(),
                source["status"]?.GetValue<string>(),
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

    private async Task BulkAsync(string index, IEnumerable<PostDocument> documents, CancellationToken cancellationToken) =>
        CheckBulk(await SendAsync(Elastic.Transport.HttpMethod.POST, "/_bulk?refresh=wait_for", BuildBulk(index, documents), cancellationToken));

    private static void CheckBulk(JsonNode? response)
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

    private async Task EnsureAliasAsync(CancellationToken cancellationToken)
    {
        if (_ready)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            if (await SendAsync(Elastic.Transport.HttpMethod.GET, "/_alias/" + _alias, null, cancellationToken, allowNotFound: true) is null)
            {
                await PutTemplateAsync(cancellationToken);
                var body = new JsonObject { ["aliases"] = new JsonObject { [_alias] = new JsonObject { ["is_write_index"] = true } } };
                await SendAsync(Elastic.Transport.HttpMethod.PUT, "/" + NewIndexName(), body.ToJsonString(), cancellationToken);
            }

            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    private Task<JsonNode?> PutTemplateAsync(CancellationToken cancellationToken)
    {
        var template = JsonNode.Parse(TemplateJson)!.AsObject();
        template["index_patterns"] = new JsonArray(_alias + "-*");
        return SendAsync(Elastic.Transport.HttpMethod.PUT, "/_index_template/" + _alias, template.ToJsonString(), cancellationToken);
    }

    private async Task<List<string>> AliasedIndicesAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(Elastic.Transport.HttpMethod.GET, "/_alias/" + _alias, null, cancellationToken, allowNotFound: true);
        return response is null ? [] : [.. response.AsObject().Select(p => p.Key)];
    }

    private string NewIndexName() => $"{_alias}-v{_time.GetUtcNow():yyyyMMddHHmmssfff}";

    /// <summary>Sends one request; null for a 404 when allowed; <see cref="IndexUnavailableException"/> for anything else that is not 2xx.</summary>
    private async Task<JsonNode?> SendAsync(Elastic.Transport.HttpMethod method, string path, string? body, CancellationToken cancellationToken, bool allowNotFound = false)
    {
        StringResponse response;
        try
        {
            response = body is null
                ? await _client.Transport.RequestAsync<StringResponse>(method, path, cancellationToken)
                : await _client.Transport.RequestAsync<StringResponse>(method, path, PostData.String(body), cancellationToken);
        }
        catch (TransportException e)
        {
            throw new IndexUnavailableException($"Elasticsearch is unreachable: {e.Message}", e);
        }

        var details = response.ApiCallDetails;
        if (details.HttpStatusCode == 404 && allowNotFound)
        {
            return null;
        }

        if (!details.HasSuccessfulStatusCode)
        {
            var reason = details.OriginalException?.Message ?? Truncate(response.Body);
            throw new IndexUnavailableException($"Elasticsearch {method} {path} failed ({details.HttpStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no response"}): {reason}", details.OriginalException ?? new InvalidOperationException(reason));
        }

        return string.IsNullOrEmpty(response.Body) ? new JsonObject() : JsonNode.Parse(response.Body);
    }

    private static string Truncate(string? text) => text is null ? string.Empty : text.Length > 300 ? text[..300] : text;

    private static string ReadTemplate()
    {
        using var stream = typeof(ElasticsearchPostIndex).Assembly.GetManifestResourceStream("posts-template.json")
            ?? throw new InvalidOperationException("the Elasticsearch index template is not embedded");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        using var check = JsonDocument.Parse(text);
        return text;
    }
}
