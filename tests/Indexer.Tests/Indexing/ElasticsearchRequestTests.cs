using System.Text;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;
using SearchRequest = ExamNetWatch.Indexer.Search.SearchRequest;

namespace ExamNetWatch.Indexer.Tests.Indexing;

/// <summary>
/// What the Elasticsearch backend puts on the wire, checked through the official client with its in-memory invoker,
/// against expectations written from the Elasticsearch REST API reference (bulk, search, aliases, index templates).
/// </summary>
public sealed class ElasticsearchRequestTests
{
    private static readonly ChineseSegmenter Segmenter = ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term));
    private static readonly DateTimeOffset June20 = new(2026, 6, 20, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task IndexAsync_SendsOneBulkRequestOfActionAndSourceLinesWithJiebaWords()
    {
        var (index, requests) = InMemory("""{"took":3,"errors":false,"items":[{"index":{"_id":"a","status":201}}]}""");

        await index.IndexAsync([Doc("a", "出售米粒耳机，微信 erji888", alertId: 5, status: "new")]);

        var bulk = Assert.Single(requests, r => r.Uri!.AbsolutePath == "/_bulk");
        Assert.Equal(Elastic.Transport.HttpMethod.POST, bulk.HttpMethod);
        Assert.Equal("refresh=wait_for", bulk.Uri!.Query.TrimStart('?'));
        var body = Encoding.UTF8.GetString(bulk.RequestBodyInBytes!);
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        var lines = body.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"index":{"_index":"examnetwatch-posts","_id":"a"}}"""), JsonNode.Parse(lines[0])));
        var source = JsonNode.Parse(lines[1])!;
        Assert.Equal("出售米粒耳机，微信 erji888", source["text"]!.GetValue<string>());
        var words = source["text_seg"]!.GetValue<string>().Split(' ');
        Assert.Contains("米粒耳机", words);
        Assert.Contains("耳机", words);
        Assert.Contains("erji888", words);
        Assert.DoesNotContain("，", words);
        Assert.Equal(June20.ToUnixTimeMilliseconds(), source["time"]!.GetValue<long>());
        Assert.True(source["has_alert"]!.GetValue<bool>());
        Assert.Equal(5, source["alert_id"]!.GetValue<long>());
        Assert.Equal("1", source["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task IndexAsync_NoAliasYet_InstallsTheTemplateThenCreatesAVersionedIndexBehindTheAlias()
    {
        var invoker = new RoutingInvoker();
        invoker.Route("GET", "/_alias/examnetwatch-posts", 404, """{"error":"alias [examnetwatch-posts] missing","status":404}""");
        var (index, requests) = WithInvoker(invoker);

        await index.IndexAsync([Doc("a", "出售作弊器")]);

        Assert.Equal(["GET /_alias/examnetwatch-posts", "PUT /_index_template/examnetwatch-posts", "PUT /examnetwatch-posts-v", "POST /_bulk"], requests.Select(r => $"{r.HttpMethod} {r.Uri!.AbsolutePath}").Select(s => s.StartsWith("PUT /examnetwatch-posts-v", StringComparison.Ordinal) ? "PUT /examnetwatch-posts-v" : s));
        var template = JsonNode.Parse(requests[1].RequestBodyInBytes)!;
        Assert.Equal("examnetwatch-posts-*", template["index_patterns"]![0]!.GetValue<string>());
        var create = JsonNode.Parse(requests[2].RequestBodyInBytes)!;
        Assert.True(create["aliases"]!["examnetwatch-posts"]!["is_write_index"]!.GetValue<bool>());
    }

    [Fact]
    public void BuildSearch_WordsPhraseExclusionAndFilters_SelectExactlyThePostsTheyName()
    {
        var request = new SearchRequest
        {
            Query = "作弊器 \"包过期\" -警方",
            SourceIds = [3],
            Severities = ["high"],
            AlertsOnly = true,
            From = June20,
            To = June20.AddDays(1),
            Sort = SearchSort.Newest,
            Aggregate = true,
        };

        // The documents as the backend sends them to the cluster (its bulk body), so the query is judged against the
        // fields and words the index really holds.
        PostDocument Post(string id, string text, string title = "标题", int source = 3, string severity = "high", long? alert = 1, double hours = 1) =>
            new(id, "t-" + id, source, "http://forum.test/" + id, title, text, null, June20.AddHours(hours), June20.AddHours(hours), severity, 0.9, [Category.Device], [], [], alert, alert is null ? null : "new");
        var posts = new[]
        {
            Post("older", "出售作弊器，包过期末考试", hours: 1),
            Post("newer", "包过期中的那套", title: "作弊器", hours: 2),
            Post("police", "警方查获作弊器 包过期的骗局"),
            Post("other-source", "出售作弊器，包过期末考试", source: 4),
            Post("medium", "出售作弊器，包过期末考试", severity: "medium"),
            Post("no-alert", "出售作弊器，包过期末考试", alert: null),
            Post("next-day", "出售作弊器，包过期末考试", hours: 25),
            Post("no-phrase", "出售作弊器，包你过期末"),
            Post("no-word", "包过期末的软件"),
        };
        var sources = new ElasticsearchDocuments(Segmenter).BuildBulk("examnetwatch-posts", posts).TrimEnd('\n').Split('\n')
            .Where((_, i) => i % 2 == 1).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

        var body = ElasticsearchQueries.BuildSearch(request, SearchQuery.Parse(request.Query, Segmenter));

        var found = sources.Where(d => QueryDsl.Matches(body["query"]!, d)).OrderByDescending(d => d["time"]!.GetValue<long>()).Select(d => d["id"]!.GetValue<string>());
        Assert.Equal(["newer", "older"], found);
        Assert.Equal("desc", body["sort"]![0]!["time"]!.GetValue<string>());
        Assert.True(body["track_total_hits"]!.GetValue<bool>());
    }

    [Fact]
    public void BuildSearch_PageHighlightAndAggregations_AreWhatTheSearchPageShows()
    {
        var request = new SearchRequest { Query = "作弊器 -警方", Page = 3, PageSize = 20, Aggregate = true };

        var body = ElasticsearchQueries.BuildSearch(request, SearchQuery.Parse(request.Query, Segmenter));

        // Page 3 of 20: posts 41-60.
        Assert.Equal(40, body["from"]!.GetValue<int>());
        Assert.Equal(20, body["size"]!.GetValue<int>());
        // Crawled text is hostile: the snippet is HTML-encoded around the marks.
        var highlight = body["highlight"]!;
        Assert.Equal("html", highlight["encoder"]!.GetValue<string>());
        Assert.Equal("<mark>", highlight["pre_tags"]![0]!.GetValue<string>());
        var marks = highlight["fields"]!["text"]!["highlight_query"]!;
        Assert.True(QueryDsl.Matches(marks, new JsonObject { ["text"] = "出售作弊器" }));
        Assert.False(QueryDsl.Matches(marks, new JsonObject { ["text"] = "警方通报" }), "an excluded word is not marked");
        // Counts per Beijing day, source, category and severity.
        var aggregations = body["aggs"]!;
        Assert.Equal("+08:00", aggregations["per_day"]!["date_histogram"]!["time_zone"]!.GetValue<string>());
        Assert.Equal("day", aggregations["per_day"]!["date_histogram"]!["calendar_interval"]!.GetValue<string>());
        Assert.Equal(["source", "category", "severity"], new[] { "per_source", "per_category", "per_severity" }.Select(a => aggregations[a]!["terms"]!["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SearchAsync_DocumentedResponse_BecomesHitsWithMergedMarksAndBuckets()
    {
        var response = $$$"""
        {
          "took": 5, "timed_out": false,
          "hits": { "total": { "value": 42, "relation": "eq" }, "max_score": 3.2, "hits": [
            { "_index": "examnetwatch-posts-v1", "_id": "a", "_score": 3.2,
              "_source": { "id": "a", "thread": "t1", "source": "3", "url": "http://forum.test/a", "title": "标题", "text": "出售作弊器", "time": {{{June20.ToUnixTimeMilliseconds()}}},
                           "severity": "high", "score": 0.91, "category": ["device"], "alert_id": 9, "status": "new", "has_alert": true },
              "highlight": { "text": [ "出售<mark>作</mark><mark>弊</mark><mark>器</mark>" ] } } ] },
          "aggregations": {
            "per_day": { "buckets": [ { "key_as_string": "2026-06-20", "key": 1781884800000, "doc_count": 42 } ] },
            "per_source": { "doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": [ { "key": "3", "doc_count": 42 } ] },
            "per_category": { "buckets": [ { "key": "device", "doc_count": 40 } ] },
            "per_severity": { "buckets": [ { "key": "high", "doc_count": 42 } ] }
          }
        }
        """;
        var (index, requests) = InMemory(response);

        var found = await index.SearchAsync(new SearchRequest { Query = "作弊器", Aggregate = true });

        Assert.Equal("/examnetwatch-posts/_search", Assert.Single(requests).Uri!.AbsolutePath);
        Assert.Equal(42, found.Total);
        var hit = Assert.Single(found.Hits);
        Assert.Equal(("a", 3, "出售<mark>作弊器</mark>", 9L, "new"), (hit.PostId, hit.SourceId, hit.Snippet, hit.AlertId!.Value, hit.Status!));
        Assert.Equal(June20, hit.Time);
        Assert.Equal([new SearchBucket("2026-06-20", 42)], found.Aggregations!.PerDay);
        Assert.Equal([new SearchBucket("3", 42)], found.Aggregations.PerSource);
    }

    [Fact]
    public async Task RebuildAsync_FillsANewIndexThenMovesTheAliasInOneCall()
    {
        var invoker = new RoutingInvoker();
        invoker.Route("GET", "/_alias/examnetwatch-posts", 200, """{"examnetwatch-posts-v20260101000000000":{"aliases":{"examnetwatch-posts":{}}}}""");
        var (index, requests) = WithInvoker(invoker);

        var count = await index.RebuildAsync(Batches([Doc("a", "出售作弊器"), Doc("b", "代考")]));

        Assert.Equal(2, count);
        var bulk = requests.Single(r => r.Uri!.AbsolutePath == "/_bulk");
        var newIndex = JsonNode.Parse(Encoding.UTF8.GetString(bulk.RequestBodyInBytes!).Split('\n')[0])!["index"]!["_index"]!.GetValue<string>();
        Assert.StartsWith("examnetwatch-posts-v", newIndex, StringComparison.Ordinal);
        var aliases = JsonNode.Parse(requests.Single(r => r.Uri!.AbsolutePath == "/_aliases").RequestBodyInBytes)!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$$"""{"actions":[{"remove":{"index":"examnetwatch-posts-v20260101000000000","alias":"examnetwatch-posts"}},{"add":{"index":"{{{newIndex}}}","alias":"examnetwatch-posts","is_write_index":true}}]}"""),
            aliases));
        Assert.Contains(requests, r => r.HttpMethod == Elastic.Transport.HttpMethod.DELETE && r.Uri!.AbsolutePath == "/examnetwatch-posts-v20260101000000000");
        Assert.True(requests.FindIndex(r => r.Uri!.AbsolutePath == "/_aliases") > requests.FindIndex(r => r.Uri!.AbsolutePath == "/_bulk"), "the alias moves only after the new index is full");
    }

    [Fact]
    public async Task IndexAsync_ClusterAnswers503_ThrowsIndexUnavailable()
    {
        var (index, _) = InMemory("""{"error":{"type":"cluster_block_exception","reason":"blocked"},"status":503}""", status: 503);

        await Assert.ThrowsAsync<IndexUnavailableException>(() => index.IndexAsync([Doc("a", "出售作弊器")]));
    }

    [Fact]
    public async Task IndexAsync_BulkItemRejected_ThrowsIndexUnavailableWithTheReason()
    {
        var (index, _) = InMemory("""{"took":1,"errors":true,"items":[{"index":{"_id":"a","status":400,"error":{"type":"strict_dynamic_mapping_exception","reason":"mapping set to strict"}}}]}""");

        var error = await Assert.ThrowsAsync<IndexUnavailableException>(() => index.IndexAsync([Doc("a", "出售作弊器")]));
        Assert.Contains("mapping set to strict", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexAsync_NothingListening_ThrowsIndexUnavailable()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var index = new ElasticsearchPostIndex(new ElasticsearchClient(new ElasticsearchClientSettings(new Uri($"http://127.0.0.1:{port}")).RequestTimeout(TimeSpan.FromSeconds(5))), Segmenter);

        await Assert.ThrowsAsync<IndexUnavailableException>(() => index.IndexAsync([Doc("a", "出售作弊器")]));
    }

    [Fact]
    public void Template_MapsEveryFieldADocumentCarries_AndIsStrict()
    {
        var template = JsonNode.Parse(ElasticsearchPostIndex.TemplateJson)!;
        var properties = template["template"]!["mappings"]!["properties"]!.AsObject();
        var line = new ElasticsearchDocuments(Segmenter).BuildBulk("x", [Doc("a", "出售作弊器", alertId: 1, status: "new") with { Author = "u", Contacts = ["qq:12345"], MatchedTerms = ["作弊器"] }]).Split('\n')[1];

        Assert.Equal("strict", template["template"]!["mappings"]!["dynamic"]!.GetValue<string>());
        Assert.All(JsonNode.Parse(line)!.AsObject(), field => Assert.True(properties.ContainsKey(field.Key), $"{field.Key} is not mapped"));
        // Every field name the code uses for Elasticsearch (all but Lucene's own) is in the template.
        var named = typeof(PostFields).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Where(name => name != PostFields.LuceneAlert && !name.EndsWith("_dv", StringComparison.Ordinal)).ToList();
        Assert.Equal(properties.Select(p => p.Key).Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
        Assert.Equal("standard", template["template"]!["settings"]!["analysis"]!["analyzer"]!["enw_chars"]!["tokenizer"]!.GetValue<string>());
        Assert.Equal("whitespace", template["template"]!["settings"]!["analysis"]!["analyzer"]!["enw_words"]!["tokenizer"]!.GetValue<string>());
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "deploy", "elasticsearch", "posts-template.json"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(shipped), template), "the embedded template is the one in deploy/elasticsearch");
    }

    private static (ElasticsearchPostIndex Index, List<ApiCallDetails> Requests) InMemory(string response, int status = 200) =>
        WithInvoker(new InMemoryRequestInvoker(Encoding.UTF8.GetBytes(response), status, null, "application/json", ProductHeader()));

    private static (ElasticsearchPostIndex Index, List<ApiCallDetails> Requests) WithInvoker(IRequestInvoker invoker)
    {
        var requests = new List<ApiCallDetails>();
        var settings = new ElasticsearchClientSettings(new SingleNodePool(new Uri("http://127.0.0.1:9200")), invoker)
            .DisableDirectStreaming()
            .OnRequestCompleted(requests.Add);
        return (new ElasticsearchPostIndex(new ElasticsearchClient(settings), Segmenter), requests);
    }

    private static Dictionary<string, IEnumerable<string>> ProductHeader() =>
        new(StringComparer.OrdinalIgnoreCase) { ["x-elastic-product"] = ["Elasticsearch"] };

    private static PostDocument Doc(string id, string text, long? alertId = null, string? status = null) =>
        new(id, "t-" + id, 1, "http://forum.test/" + id, "标题", text, null, June20, June20, "high", 0.9, [Category.Device], [], [], alertId, status);

    private static async IAsyncEnumerable<IReadOnlyList<PostDocument>> Batches(params IReadOnlyList<PostDocument>[] batches)
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    /// <summary>
    /// The in-memory invoker answers every request alike; this one picks a canned answer by method and path (the rest
    /// get an empty successful bulk answer) and hands it to an <see cref="InMemoryRequestInvoker"/> to build the response.
    /// </summary>
    private sealed class RoutingInvoker : IRequestInvoker
    {
        private readonly Dictionary<string, (int Status, string Body)> _routes = new(StringComparer.Ordinal);

        public ResponseFactory ResponseFactory => Default.ResponseFactory;

        private static InMemoryRequestInvoker Default { get; } = new(Encoding.UTF8.GetBytes("""{"errors":false,"items":[],"acknowledged":true}"""), 200, null, "application/json", ProductHeader());

        public void Route(string method, string path, int status, string body) => _routes[method + " " + path] = (status, body);

        public TResponse Request<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData)
            where TResponse : TransportResponse, new() =>
            Pick(endpoint).Request<TResponse>(endpoint, boundConfiguration, postData);

        public Task<TResponse> RequestAsync<TResponse>(Endpoint endpoint, BoundConfiguration boundConfiguration, PostData? postData, CancellationToken cancellationToken)
            where TResponse : TransportResponse, new() =>
            Pick(endpoint).RequestAsync<TResponse>(endpoint, boundConfiguration, postData, cancellationToken);

        public void Dispose()
        {
        }

        private InMemoryRequestInvoker Pick(Endpoint endpoint) =>
            _routes.TryGetValue($"{endpoint.Method} {endpoint.Uri.AbsolutePath}", out var route)
                ? new InMemoryRequestInvoker(Encoding.UTF8.GetBytes(route.Body), route.Status, null, "application/json", ProductHeader())
                : Default;
    }

    /// <summary>
    /// The part of the Elasticsearch Query DSL the backend writes (bool, term, terms, match_phrase, range), evaluated
    /// on one document as the REST reference describes it; anything else fails, so a new clause needs its meaning here.
    /// Word fields (<c>*_seg</c>) hold space-separated words; a phrase matches text that holds it, spaces ignored.
    /// </summary>
    private static class QueryDsl
    {
        public static bool Matches(JsonNode query, JsonObject doc)
        {
            var (kind, clause) = query.AsObject().Single();
            switch (kind)
            {
                case "bool":
                    var must = Clauses(clause!, "must").Concat(Clauses(clause!, "filter")).ToList();
                    var should = Clauses(clause!, "should").ToList();
                    var minimum = clause!["minimum_should_match"]?.GetValue<int>() ?? (must.Count > 0 || should.Count == 0 ? 0 : 1);
                    return must.All(q => Matches(q, doc))
                        && !Clauses(clause, "must_not").Any(q => Matches(q, doc))
                        && should.Count(q => Matches(q, doc)) >= minimum;
                case "term":
                    var (field, value) = clause!.AsObject().Single();
                    return Values(doc, field).Contains(Scalar(value is JsonObject o ? o["value"]! : value!));
                case "terms":
                    var (terms, list) = clause!.AsObject().Single();
                    return list!.AsArray().Any(v => Values(doc, terms).Contains(Scalar(v!)));
                case "match_phrase":
                    var (phraseField, phrase) = clause!.AsObject().Single();
                    return doc[phraseField] is { } text && Squeeze(text.GetValue<string>()).Contains(Squeeze(phrase!.GetValue<string>()), StringComparison.Ordinal);
                case "range":
                    var (rangeField, bounds) = clause!.AsObject().Single();
                    if (doc[rangeField] is not { } at)
                    {
                        return false;
                    }

                    var x = Number(at);
                    return bounds!.AsObject().All(b => b.Key switch
                    {
                        "gte" => x >= Number(b.Value!),
                        "gt" => x > Number(b.Value!),
                        "lte" => x <= Number(b.Value!),
                        "lt" => x < Number(b.Value!),
                        _ => throw new NotSupportedException("range " + b.Key),
                    });
                default:
                    throw new NotSupportedException("query clause " + kind);
            }
        }

        private static IEnumerable<JsonNode> Clauses(JsonNode parent, string name) => parent[name] switch
        {
            null => [],
            JsonArray array => array.Select(n => n!),
            var one => [one],
        };

        private static List<string> Values(JsonObject doc, string field) => doc[field] switch
        {
            null => [],
            JsonArray array => [.. array.Select(v => Scalar(v!))],
            var one when field.EndsWith("_seg", StringComparison.Ordinal) => [.. one.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            var one => [Scalar(one)],
        };

        private static string Scalar(JsonNode value) => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.True => "true",
            System.Text.Json.JsonValueKind.False => "false",
            _ => value.ToString(),
        };

        private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

        private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }
}
