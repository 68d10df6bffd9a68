using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>The forum profiles, tried in order; the article profile is the fallback for anything with a readable body.</summary>
public static class ProfileRegistry
{
    /// <summary>Gets every profile, most specific first.</summary>
    public static IReadOnlyList<IForumProfile> All { get; } = [DiscuzProfile.Instance, PhpBbProfile.Instance, TiebaProfile.Instance, ArticleProfile.Instance];

    /// <summary>Gets the names a source may record: <c>auto</c> or one profile's name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", .. All.Select(p => p.Name)];

    /// <summary>Returns the profile named <paramref name="name"/>, or null for <c>auto</c>.</summary>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public static IForumProfile? Named(string? name) =>
        string.IsNullOrEmpty(name) || name == "auto"
            ? null
            : All.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"Unknown profile '{name}': use {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Finds the profile that reads this page and what kind of page it is.</summary>
    public static (IForumProfile? Profile, PageKind Kind) Detect(IDocument document, Uri url, IForumProfile? only = null)
    {
        foreach (var profile in only is null ? All : [only])
        {
            var kind = profile.Classify(document, url);
            if (kind != PageKind.Unknown)
            {
                return (profile, kind);
            }
        }

        return (null, PageKind.Unknown);
    }

    /// <summary>Returns the thread id of a URL according to the first profile that recognises it.</summary>
    public static string? ThreadIdOf(Uri url, IForumProfile? only = null) => ThreadOf(url, only)?.ThreadId;

    /// <summary>Returns the first profile that recognises a URL as a thread's, with the thread id it names.</summary>
    public static (IForumProfile Profile, string ThreadId)? ThreadOf(Uri url, IForumProfile? only = null)
    {
        foreach (var profile in only is null ? All.Where(p => p is not ArticleProfile) : [only])
        {
            if (profile.ThreadIdOf(url) is { } id)
            {
                return (profile, id);
            }
        }

        return null;
    }
}
