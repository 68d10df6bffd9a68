using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Tests.Indexing;

/// <summary>Elasticsearch as users run it: security on, credentials from settings or files, TLS trust, an alias of their own.</summary>
public sealed class IndexOptionsTests : IDisposable
{
    private const string Secret = "c2VjcmV0LWtleS12YWx1ZQ==";
    private readonly string _dir = Directory.CreateTempSubdirectory("enw-es-").FullName;

    [Fact]
    public void NoElasticsearchUrl_IsTheEmbeddedIndex_WithAUrlItIsElasticsearch()
    {
        Assert.Equal(IndexProvider.Lucene, new IndexOptions().EffectiveProvider);
        Assert.Equal(IndexProvider.Elasticsearch, new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200") }.EffectiveProvider);
        Assert.Empty(Problems(new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), ApiKey = Secret, CertificateFingerprint = new string('A', 32) + ":" + new string('b', 32) }));
    }

    [Theory]
    [InlineData("ftp", "Index:ElasticsearchUrl must be an http(s) URL")]
    [InlineData("both", "either an API key (Index:ApiKey or Index:ApiKeyFile) or a user and password, not both")]
    [InlineData("password-without-user", "Index:Username is required")]
    [InlineData("missing-file", "Index:PasswordFile: the file")]
    [InlineData("fingerprint", "Index:CertificateFingerprint must be a SHA-256 fingerprint")]
    [InlineData("alias", "Index:Alias must be lower-case letters")]
    public void WrongSetting_IsNamed_AndNoSecretIsRepeated(string wrong, string expected)
    {
        var options = wrong switch
        {
            "ftp" => new IndexOptions { Provider = IndexProvider.Elasticsearch, ElasticsearchUrl = new Uri("ftp://es:9200") },
            "both" => new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), ApiKey = Secret, Username = "enw", Password = Secret },
            "password-without-user" => new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), Password = Secret },
            "missing-file" => new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), Username = "enw", PasswordFile = Path.Combine(_dir, "none") },
            "fingerprint" => new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), CertificateFingerprint = "12:34" },
            _ => new IndexOptions { ElasticsearchUrl = new Uri("https://es:9200"), Alias = "Posts" },
        };

        var problems = Problems(options);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeyFromAFile_ReachesTheClusterAsItsAuthorizationHeader_UnderTheConfiguredAlias()
    {
        var keyFile = Path.Combine(_dir, "es-api-key");
        await File.WriteAllTextAsync(keyFile, Secret + "\n");
        var (url, seen) = Cluster();
        var options = new IndexOptions { ElasticsearchUrl = url, ApiKeyFile = keyFile, Alias = "province-posts" };
        Assert.Empty(Problems(options));

        using var index = new ElasticsearchPostIndex(new Elastic.Clients.Elasticsearch.ElasticsearchClient(options.ClientSettings()), ChineseSegmenter.Initialise([]), options.Alias);
        Assert.Equal(7, await index.CountAsync());

        var request = Assert.Single(seen);
        Assert.Equal("ApiKey " + Secret, request.Authorization);
        Assert.Equal("/province-posts/_count", request.Path);
    }

    [Fact]
    public async Task UserAndPasswordFromAFile_ReachTheClusterAsBasicAuthentication()
    {
        var passwordFile = Path.Combine(_dir, "es-password");
        await File.WriteAllTextAsync(passwordFile, "p@ss word\n");
        var (url, seen) = Cluster();
        var options = new IndexOptions { ElasticsearchUrl = url, Username = "enw_writer", PasswordFile = passwordFile };

        using var index = new ElasticsearchPostIndex(new Elastic.Clients.Elasticsearch.ElasticsearchClient(options.ClientSettings()), ChineseSegmenter.Initialise([]), options.Alias);
        await index.CountAsync();

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("enw_writer:p@ss word")), Assert.Single(seen).Authorization);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static List<string> Problems(IndexOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }

    /// <summary>A stand-in for a secured cluster on loopback: records what it is sent and answers a count.</summary>
    private static (Uri Url, List<(string? Authorization, string Path)> Seen) Cluster()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = new List<(string?, string)>();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                lock (seen)
                {
                    seen.Add((context.Request.Headers["Authorization"], context.Request.Url!.AbsolutePath));
                }

                var body = Encoding.UTF8.GetBytes("{\"count\":7}");
                context.Response.Headers["x-elastic-product"] = "Elasticsearch";
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
                listener.Stop();
            }
        });
        return (new Uri($"http://127.0.0.1:{port}"), seen);
    }
}
