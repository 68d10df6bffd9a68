using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>
/// Fetches each origin's robots.txt once and keeps it for <see cref="FetcherOptions.RobotsCacheDuration"/>.
/// 4xx means no rules; 5xx means "do not crawl now" (asked again after 5 minutes); no answer fails the fetch.
/// robots.txt is fetched even though it lies outside a source's path scope: obeying it needs it.
/// </summary>
public sealed class RobotsCache(TimeProvider time, IOptions<FetcherOptions> options)
{
    private readonly ConcurrentDictionary<string, (RobotsRules Rules, DateTimeOffset Until)> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly FetcherOptions _options = options.Value;

    /// <summary>Returns the rules of the origin of <paramref name="url"/>, fetching them with <paramref name="fetch"/> when not cached.</summary>
    public async Task<RobotsRules> GetAsync(Uri url, Func<Uri, CancellationToken, Task<(int Status, string Body)>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(fetch);
        var origin = url.GetLeftPart(UriPartial.Authority);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(origin, out var cached) && cached.Until > now)
        {
            return cached.Rules;
        }

        // A host that cannot be reached at all fails the fetch with that reason (the exception propagates).
        var (status, body) = await fetch(new Uri(origin + "/robots.txt"), cancellationToken);
        var (rules, keep) = status switch
        {
            >= 200 and < 300 => (RobotsRules.Parse(body, _options.RobotsProductToken), _options.RobotsCacheDuration),
            >= 400 and < 500 => (RobotsRules.AllowAll, _options.RobotsCacheDuration),
            _ => (RobotsRules.DisallowAll, TimeSpan.FromMinutes(5)),
        };

        _cache[origin] = (rules, now + keep);
        return rules;
    }
}
