using System.Globalization;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// The rules robots.txt gives one user agent (RFC 9309): the group naming our product token, else the <c>*</c>
/// group; the longest matching Allow/Disallow pattern wins (<c>*</c> wildcard, <c>$</c> end anchor; Allow wins a
/// tie); and the non-standard but common <c>Crawl-delay</c>.
/// </summary>
public sealed class RobotsRules
{
    private readonly List<(string Pattern, bool Allow)> _rules;

    private RobotsRules(List<(string Pattern, bool Allow)> rules, TimeSpan? crawlDelay)
    {
        _rules = rules;
        CrawlDelay = crawlDelay;
    }

    /// <summary>Gets rules that allow everything (no robots.txt, or a 4xx answer).</summary>
    public static RobotsRules AllowAll { get; } = new([], null);

    /// <summary>Gets rules that disallow everything (robots.txt unreachable or a 5xx answer).</summary>
    public static RobotsRules DisallowAll { get; } = new([("/", false)], null);

    /// <summary>Gets the Crawl-delay of our group, if any.</summary>
    public TimeSpan? CrawlDelay { get; }

    /// <summary>Parses robots.txt for the agent whose product token is <paramref name="productToken"/> (e.g. <c>ExamNetWatch</c>).</summary>
    public static RobotsRules Parse(string robotsTxt, string productToken)
    {
        ArgumentNullException.ThrowIfNull(robotsTxt);
        var groups = new List<(List<string> Agents, List<(string, bool)> Rules, TimeSpan? Delay)>();
        (List<string> Agents, List<(string, bool)> Rules, TimeSpan? Delay)? current = null;
        var lastWasAgent = false;
        foreach (var raw in robotsTxt.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim().ToUpperInvariant();
            var value = line[(colon + 1)..].Trim();
            if (key == "USER-AGENT")
            {
                if (current is null || !lastWasAgent)
                {
                    current = ([], [], null);
                    groups.Add(current.Value);
                }

                current.Value.Agents.Add(value.ToUpperInvariant());
                lastWasAgent = true;
                continue;
            }

            lastWasAgent = false;
            if (current is null)
            {
                continue;
            }

            switch (key)
            {
                case "ALLOW" or "DISALLOW" when value.Length > 0:
                    current.Value.Rules.Add((value, key == "ALLOW"));
                    break;
                case "CRAWL-DELAY" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    var index = groups.IndexOf(current.Value);
                    current = (current.Value.Agents, current.Value.Rules, TimeSpan.FromSeconds(Math.Min(seconds, 3600)));
                    groups[index] = current.Value;
                    break;
            }
        }

        var token = productToken.ToUpperInvariant();
        var ours = groups.Where(g => g.Agents.Any(a => a != "*" && token.Contains(a, StringComparison.Ordinal))).ToList();
        if (ours.Count == 0)
        {
            ours = [.. groups.Where(g => g.Agents.Contains("*"))];
        }

        return new RobotsRules([.. ours.SelectMany(g => g.Rules)], ours.Select(g => g.Delay).FirstOrDefault(d => d is not null));
    }

    /// <summary>Returns whether the path and query of <paramref name="url"/> may be fetched.</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.AbsolutePath == "/robots.txt")
        {
            return true;
        }

        var path = url.PathAndQuery;
        var best = -1;
        var allow = true;
        foreach (var (pattern, isAllow) in _rules)
        {
            if (Matches(pattern, path) && (pattern.Length > best || (pattern.Length == best && isAllow)))
            {
                best = pattern.Length;
                allow = isAllow;
            }
        }

        return allow;
    }

    private static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var parts = (anchored ? pattern[..^1] : pattern).Split('*');
        if (!path.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var at = parts[0].Length;
        for (var i = 1; i < parts.Length; i++)
        {
            var found = i == parts.Length - 1 && anchored
                ? (path.EndsWith(parts[i], StringComparison.Ordinal) && path.Length - parts[i].Length >= at ? path.Length - parts[i].Length : -1)
                : path.IndexOf(parts[i], at, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            at = found + parts[i].Length;
        }

        return !anchored || at == path.Length;
    }
}
