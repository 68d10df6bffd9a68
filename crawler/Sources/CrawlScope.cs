namespace ExamNetWatch.Crawler.Sources;

/// <summary>
/// The part of the web a source's authorisation covers: a URL is in scope when its scheme, host and port
/// equal those of one allowed prefix and its path starts with that prefix's path.
/// </summary>
public sealed class CrawlScope
{
    private readonly IReadOnlyList<Uri> _prefixes;

    public CrawlScope(IEnumerable<Uri> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        _prefixes = [.. prefixes];
        if (_prefixes.Count == 0)
        {
            throw new ArgumentException("A scope needs at least one allowed prefix.", nameof(prefixes));
        }
    }

    /// <summary>Gets the allowed prefixes.</summary>
    public IReadOnlyList<Uri> Prefixes => _prefixes;

    /// <summary>Parses a scope from prefix strings such as <c>http://bbs.example.cn/forum.php</c>.</summary>
    public static CrawlScope Parse(IEnumerable<string> prefixes) =>
        new(prefixes.Select(p => new Uri(p, UriKind.Absolute)));

    /// <summary>Returns whether <paramref name="url"/> may be fetched under this scope.</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return _prefixes.Any(p =>
            string.Equals(p.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)
            && p.Port == url.Port
            && url.AbsolutePath.StartsWith(p.AbsolutePath, StringComparison.Ordinal));
    }
}
