namespace ExamNetWatch.Crawler.Sources;

/// <summary>
/// The part of the web a source's authorisation covers: a URL is in scope when its scheme, host and port
/// equal those of one allowed prefix and its path, as a server reads it, starts with that prefix's path.
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

    /// <summary>
    /// Returns whether <paramref name="url"/> may be fetched under this scope. The path is compared as a server reads
    /// it: percent-encoding decoded and dot-segments resolved. A path a server could read two ways — an encoded slash,
    /// backslash or dot-segment (<c>..%2f</c>, <c>%2e%2e/</c>, <c>..%5c</c>), a double encoding (<c>%252e</c>), a
    /// NUL — is never in scope.
    /// </summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || ServerPath(url.AbsolutePath) is not { } path)
        {
            return false;
        }

        return _prefixes.Any(p =>
            string.Equals(p.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(p.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)
            && p.Port == url.Port
            && ServerPath(p.AbsolutePath) is { } allowed
            && path.StartsWith(allowed, StringComparison.Ordinal));
    }

    /// <summary>
    /// Returns the path as a server reads it (decoded, dot-segments resolved), or null if it could be read more than
    /// one way.
    /// </summary>
    internal static string? ServerPath(string absolutePath)
    {
        ArgumentNullException.ThrowIfNull(absolutePath);
        if (absolutePath.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(absolutePath);
        }
        catch (UriFormatException)
        {
            return null;
        }

        // An encoded slash makes a new segment only for some servers; an encoded dot-segment climbs only after decoding;
        // what still looks encoded after one decoding was encoded twice.
        var segments = decoded.Split('/');
        if (decoded.Contains('\\', StringComparison.Ordinal) || decoded.Contains('\0', StringComparison.Ordinal)
            || segments.Length != absolutePath.Split('/').Length
            || System.Text.RegularExpressions.Regex.IsMatch(decoded, "%[0-9A-Fa-f]{2}"))
        {
            return null;
        }

        // Literal dot-segments were resolved by Uri already; any left came from decoding (or a prefix written with them).
        return segments.Any(segment => segment is "." or "..") ? null : decoded;
    }
}
