using AngleSharp.Dom;

namespace ExamNetWatch.Crawler.Profiles;

/// <summary>What kind of page a profile sees.</summary>
public enum PageKind
{
    /// <summary>Not a page this profile reads.</summary>
    Unknown,

    /// <summary>A board (forum listing): thread links, maybe a next page.</summary>
    Board,

    /// <summary>A thread (or article): posts, maybe a next page.</summary>
    Thread,
}

/// <summary>Reads one kind of forum software's pages. Profiles are stateless and thread-safe.</summary>
public interface IForumProfile
{
    /// <summary>Gets the profile's name, as stored on a source (<c>discuz</c>, <c>phpbb</c>, <c>tieba</c>, <c>article</c>).</summary>
    string Name { get; }

    /// <summary>Returns what kind of page this is for this profile, or <see cref="PageKind.Unknown"/>.</summary>
    PageKind Classify(IDocument document, Uri url);

    /// <summary>Extracts the thread links and the next board page.</summary>
    BoardPage ParseBoard(IDocument document, Uri url);

    /// <summary>Extracts the posts and the next page of the thread.</summary>
    /// <exception cref="FormatException">The page has none of the expected structure.</exception>
    ThreadPage ParseThread(IDocument document, Uri url);

    /// <summary>Returns the thread id a URL names, if this profile can tell.</summary>
    string? ThreadIdOf(Uri url);

    /// <summary>
    /// Returns the thread's own address for any page of it: its first page, without page, session or listing
    /// parameters (phpBB <c>viewtopic.php?t=N</c>, not <c>&amp;start=30</c>), so the pages of one thread name one thread.
    /// </summary>
    Uri ThreadUrlOf(Uri pageUrl);
}
