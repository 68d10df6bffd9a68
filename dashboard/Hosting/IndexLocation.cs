namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// Where the search index lives: the embedded Lucene index of the data directory, unless <c>Index:ElasticsearchUrl</c>
/// (environment variable <c>Index__ElasticsearchUrl</c>) names an Elasticsearch cluster — the production profile.
/// </summary>
public static class IndexLocation
{
    public const string EnvironmentVariable = "Index__ElasticsearchUrl";

    /// <summary>Reads the Elasticsearch URL from configuration; null for the embedded index.</summary>
    /// <exception cref="InvalidOperationException">The setting is not an absolute http(s) URL.</exception>
    public static Uri? ElasticsearchUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Parse(configuration["Index:ElasticsearchUrl"]);
    }

    /// <summary>Reads the Elasticsearch URL from the environment (for the command-line verbs).</summary>
    public static Uri? ElasticsearchUrlFromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    private static Uri? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new InvalidOperationException($"Index:ElasticsearchUrl must be an http(s) URL such as http://127.0.0.1:9200 (was '{value}')");
    }
}
