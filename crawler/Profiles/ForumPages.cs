namespace ExamNetWatch.Crawler.Profiles;

/// <summary>A thread link found on a board page, with the reply count the board shows (the change signal), if any.</summary>
public sealed record ThreadLink(Uri Url, string ThreadId, string Title, int? Replies = null)
{
    /// <summary>Gets when the board says the thread was last active (its last reply, else its start), if it says.</summary>
    public DateTimeOffset? LastActive { get; init; }
}

/// <summary>What a board (forum listing) page yields.</summary>
public sealed record BoardPage(IReadOnlyList<ThreadLink> Threads, Uri? NextPage)
{
    /// <summary>
    /// Gets the boards this page leads to: the forums of a board index (phpBB <c>index.php</c>, the Discuz! home page, a
    /// Tieba directory) or a board's sub-forums. The crawler follows them within the source's scope.
    /// </summary>
    public IReadOnlyList<Uri> Boards { get; init; } = [];

    /// <summary>Gets how many pages the board's pager says the listing has, if it says.</summary>
    public int? PageCount { get; init; }
}

/// <summary>One post as extracted from a thread page.</summary>
/// <param name="PostId">The forum's own post id (Discuz! <c>pid</c>).</param>
/// <param name="Author">Display name of the author, if shown.</param>
/// <param name="Floor">Floor number (1 = the opening post), if shown.</param>
/// <param name="PostedAt">Post time as shown, read as Beijing time.</param>
/// <param name="Text">The post's own text: quoted replies and edit notices removed.</param>
/// <param name="Html">The post body's markup as received (hostile: sanitise before rendering).</param>
public sealed record ExtractedPost(string PostId, string? Author, int? Floor, DateTimeOffset? PostedAt, string Text, string Html)
{
    /// <summary>Gets the forum's own id of the author (Discuz! <c>uid</c>, phpBB <c>u</c>, Tieba <c>user_id</c>), if the page shows it.</summary>
    public string? AuthorId { get; init; }
}

/// <summary>What a thread page yields.</summary>
public sealed record ThreadPage(string ThreadId, string Title, IReadOnlyList<ExtractedPost> Posts, Uri? NextPage);
