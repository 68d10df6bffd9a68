using System.Text.RegularExpressions;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>Concrete paths for the dashboard's route patterns, so tests can try every route of its endpoint table.</summary>
public static partial class RoutePatterns
{
    /// <summary>A concrete path for a route pattern: parameters get 1, catch-alls one segment; a folder's index page is the folder.</summary>
    public static string Sample(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var path = CatchAll().Replace(pattern, "x");
        path = Parameter().Replace(path, "1");
        path = "/" + path.Trim('/');
        return path.EndsWith("/Index", StringComparison.OrdinalIgnoreCase) ? path[..^"/Index".Length] is "" ? "/" : path[..^"/Index".Length] : path;
    }

    [GeneratedRegex(@"\{\*\*?[^}]*\}")]
    private static partial Regex CatchAll();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
