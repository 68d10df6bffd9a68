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
    private readonly ElasticsearchDocuments _documents;
    private readonly string _alias;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;

    public ElasticsearchPostIndex(ElasticsearchClient client, ChineseSegmenter segmenter, string alias = DefaultAlias, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _segmenter = segmenter ?? throw new ArgumentNullException(nameof(segmenter));
        _documents = new ElasticsearchDocuments(segmenter);
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
        var body = new JsonObject { ["doc"] = new JsonObject { [PostFields.ElasticsearchAlert] = alertId, [PostFields.HasAlert] = true, [PostFields.Status] = status } };
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

        ElasticsearchResponses.CheckBulk(await SendAsync(Elastic.Transport.HttpMethod.POST, "/_bulk?refresh=wait_for", body.ToString(), cancellationToken));
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
        var response = await SendAsync(Elastic.Transport.HttpMethod.POST, $"/{_alias}/_search", ElasticsearchQueries.BuildSearch(request, query).ToJsonString(), cancellationToken, allowNotFound: true);
        return response is null
            ? new SearchResults(0, [], request.Aggregate ? new SearchAggregations([], [], [], []) : null)
            : ElasticsearchResponses.ReadSearch(response, request);
    }

    /// <inheritdoc />
    public void Dispose() => _setup.Dispose();

    private async Task BulkAsync(string index, IEnumerable<PostDocument> documents, CancellationToken cancellationToken) =>
        ElasticsearchResponses.CheckBulk(await SendAsync(Elastic.Transport.HttpMethod.POST, "/_bulk?refresh=wait_for", _documents.BuildBulk(index, documents), cancellationToken));

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
