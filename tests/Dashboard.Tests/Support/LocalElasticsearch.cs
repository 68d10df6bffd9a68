using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// Enough of an Elasticsearch 9 node on 127.0.0.1 for processes that index into it (Elasticsearch itself cannot run
/// here): index template, alias and index creation, <c>_bulk</c> (index, update, delete), <c>_update</c>, <c>_count</c> and an
/// empty <c>_search</c>. It keeps which documents it holds and how many index actions each got, so a test can tell
/// "indexed once" from "sent twice". Not a search engine: the contract suite checks the real one.
/// </summary>
public sealed class LocalElasticsearch : IAsyncDisposable
{
    private WebApplication _app = null!;
    private volatile bool _aliasCreated;

    private LocalElasticsearch()
    {
    }

    /// <summary>Gets the address to give as <c>Index:ElasticsearchUrl</c>.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the documents held, by id.</summary>
    public ConcurrentDictionary<string, JsonObject> Documents { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets how many bulk index actions each document id received.</summary>
    public ConcurrentDictionary<string, int> IndexActions { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the requests it refused, and why (for a failing test to show).</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public static async Task<LocalElasticsearch> StartAsync()
    {
        var node = new LocalElasticsearch();
        (node._app, node.Url) = await LoopbackApp.StartAsync(app => app.Run(node.AnswerAsync));
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        // The client compresses large request bodies, as Elasticsearch allows.
        var content = string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(request.Body, System.IO.Compression.CompressionMode.Decompress)
            : request.Body;
        var body = await new StreamReader(content).ReadToEndAsync(context.RequestAborted);
        context.Response.Headers["x-elastic-product"] = "Elasticsearch";
        JsonObject? answer;
        try
        {
            answer = Answer(request.Method, path, body);
        }
        catch (Exception e) when (e is InvalidOperationException or System.Text.Json.JsonException or KeyNotFoundException or NullReferenceException or ArgumentException or IndexOutOfRangeException)
        {
            Refused.Enqueue($"{request.Method} {path}: {e.Message} — {(body.Length > 300 ? body[..300] : body)}");
            // What a real node would refuse; said in the answer, for the test to show.
            context.Response.StatusCode = 400;
            answer = new JsonObject { ["status"] = 400, ["error"] = new JsonObject { ["type"] = "parse_exception", ["reason"] = e.Message } };
        }

        if (answer is null)
        {
            context.Response.StatusCode = 404;
            answer = new JsonObject { ["status"] = 404, ["error"] = new JsonObject { ["type"] = "index_not_found_exception" } };
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    private JsonObject? Answer(string method, string path, string body) =>
        (method, path) switch
        {
            ("GET", _) when path.StartsWith("/_alias/", StringComparison.Ordinal) => _aliasCreated
                ? new JsonObject { ["examnetwatch-posts-v1"] = new JsonObject { ["aliases"] = new JsonObject { [path["/_alias/".Length..]] = new JsonObject() } } }
                : null,
            ("POST", "/_bulk") => Bulk(body),
            ("GET" or "POST", _) when path.EndsWith("/_count", StringComparison.Ordinal) => new JsonObject { ["count"] = Documents.Count },
            ("POST", _) when path.EndsWith("/_search", StringComparison.Ordinal) => new JsonObject { ["hits"] = new JsonObject { ["total"] = new JsonObject { ["value"] = 0 }, ["hits"] = new JsonArray() } },
            ("POST", _) when path.Contains("/_update/", StringComparison.Ordinal) => Update(Uri.UnescapeDataString(path[(path.IndexOf("/_update/", StringComparison.Ordinal) + "/_update/".Length)..]), body),
            ("PUT", _) when !path.StartsWith("/_", StringComparison.Ordinal) => Created(),
            _ => new JsonObject { ["acknowledged"] = true },
        };

    private JsonObject Created()
    {
        _aliasCreated = true;
        return new JsonObject { ["acknowledged"] = true };
    }

    private JsonObject Bulk(string body)
    {
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = new JsonArray();
        for (var i = 0; i < lines.Length; i++)
        {
            var action = JsonNode.Parse(lines[i])!.AsObject().Single();
            var id = action.Value!["_id"]!.GetValue<string>();
            switch (action.Key)
            {
                case "index":
                    Documents[id] = JsonNode.Parse(lines[++i])!.AsObject();
                    IndexActions.AddOrUpdate(id, 1, (_, n) => n + 1);
                    break;
                case "update":
                    Update(id, lines[++i]);
                    break;
                case "delete":
                    Documents.TryRemove(id, out _);
                    break;
                default:
                    throw new InvalidOperationException("bulk action " + action.Key);
            }

            items.Add(new JsonObject { [action.Key] = new JsonObject { ["_id"] = id, ["status"] = 200 } });
        }

        return new JsonObject { ["took"] = 1, ["errors"] = false, ["items"] = items };
    }

    private JsonObject Update(string id, string body)
    {
        if (Documents.TryGetValue(id, out var document) && JsonNode.Parse(body)?["doc"] is JsonObject changes)
        {
            foreach (var (name, value) in changes.ToList())
            {
                document[name] = value?.DeepClone();
            }
        }

        return new JsonObject { ["result"] = "updated" };
    }
}
