using System.Text.Json;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Triage;
using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Alerts;

/// <summary>One alert: the post (sanitised, matches marked), why it fired, and the triage action.</summary>
public sealed class DetailModel(WatchDbContext db, PostHighlighter highlighter, AuditLog audit, AlertTriage triage) : PageModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Alert Alert { get; private set; } = null!;

    public Post Post { get; private set; } = null!;

    public string SourceName { get; private set; } = string.Empty;

    public DetectionResult Detection { get; private set; } = null!;

    public string? TitleHtml { get; private set; }

    public string TextHtml { get; private set; } = string.Empty;

    /// <summary>Gets the original URL if it is http(s); anything else (javascript:, data:) is not linked.</summary>
    public string SafeUrl { get; private set; } = "#";

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    /// <summary>Gets the alert's source (its kind says whether the post is a group chat's message).</summary>
    public Source? Source { get; private set; }

    /// <summary>Gets whether the post is a message of a group chat, imported from a member's export.</summary>
    public bool IsChat => Source?.IsChat == true;

    /// <summary>Gets the sender of a chat message as the contact key that links their alerts ("qq:33334444"), if it is one.</summary>
    public string? SenderContact { get; private set; }

    /// <summary>Gets the line of the export file the message was read from (chat messages only).</summary>
    public int? ChatLine { get; private set; }

    /// <summary>Gets the messages around a chat message, in the order they were sent, the message itself included.</summary>
    public IReadOnlyList<ChatContextMessage> ChatContext { get; private set; } = [];

    /// <summary>How many messages before and after a chat message its page shows.</summary>
    public const int ChatContextSize = 5;

    /// <summary>A message of the conversation around a chat alert.</summary>
    public sealed record ChatContextMessage(string PostId, DateTime? SentAtUtc, string? Sender, string? SenderId, string Html, bool IsThis, long? AlertId);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        audit.Add(db, User.Identity!.Name!, AuditActions.AlertView, Target(id), remoteAddress: HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return Page();
    }

    public IReadOnlyList<AlertNote> Notes { get; private set; } = [];

    /// <summary>Gets, for each contact of this alert ("kind:value"), how many other alerts share it.</summary>
    public IReadOnlyDictionary<string, int> ContactCounts { get; private set; } = new Dictionary<string, int>();

    /// <summary>Gets the other alerts of this alert's group (newest first, at most 50).</summary>
    public IReadOnlyList<Alert> Related { get; private set; } = [];

    /// <summary>Gets whether the signed-in user may triage (Admin or Analyst; a Viewer only reads).</summary>
    public bool CanTriage => User.IsInRole(StaffRoles.Admin) || User.IsInRole(StaffRoles.Analyst);

    [TempData]
    public string? Message { get; set; }

    public Task<IActionResult> OnPostTakeAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.TakeAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostAssignAsync(long id, string? assignee, CancellationToken cancellationToken) =>
        TriageAsync(id, async (user, address) =>
        {
            if (!string.IsNullOrWhiteSpace(assignee) && !await db.Users.AnyAsync(u => u.UserName == assignee, cancellationToken))
            {
                throw new TriageException(new Messages.StaffText("没有这个用户。"));
            }

            await triage.AssignAsync(id, assignee, user, address, cancellationToken);
        });

    /// <summary>Gets the staff who can be assigned alerts (Admin and Analyst accounts).</summary>
    public IReadOnlyList<string> Assignable { get; private set; } = [];

    public Task<IActionResult> OnPostTagAsync(long id, string? tag, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.TagAsync(id, tag?.Trim() ?? string.Empty, user, address, cancellationToken));

    public Task<IActionResult> OnPostUntagAsync(long id, string? tag, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.UntagAsync(id, tag ?? string.Empty, user, address, cancellationToken));

    public Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.AcknowledgeAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostEscalateAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.EscalateAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostCloseAsync(long id, string? reason, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.CloseAsync(id, reason ?? string.Empty, user, address, cancellationToken));

    public Task<IActionResult> OnPostReopenAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.ReopenAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostNoteAsync(long id, string? note, CancellationToken cancellationToken) =>
        TriageAsync(id, (user, address) => triage.AddNoteAsync(id, note ?? string.Empty, user, address, cancellationToken));

    private async Task<IActionResult> TriageAsync(long id, Func<string, string?, Task> step)
    {
        if (!CanTriage)
        {
            return Forbid();
        }

        try
        {
            await step(User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString());
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        catch (TriageException e)
        {
            Message = UiText.Of(e.Text);
        }

        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().Include(a => a.Post).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert?.Post is null)
        {
            return false;
        }

        Alert = alert;
        Post = alert.Post;
        Source = await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == alert.SourceId, cancellationToken);
        SourceName = Source?.Name ?? "?";
        Detection = JsonSerializer.Deserialize<DetectionResult>(Post.DetectionJson, Json)!;
        if (Detection.Matches.Any(m => m.Field == "title"))
        {
            TitleHtml = highlighter.Render(Post.ThreadTitle, "title", Detection.Matches);
        }

        TextHtml = highlighter.Render(Post.Text, "text", Detection.Matches);
        if (IsChat)
        {
            ChatLine = LineOf(Post.Url);
            ChatContext = await ChatContextAsync(cancellationToken);
        }
        SafeUrl = Uri.TryCreate(Post.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) ? url.AbsoluteUri : "#";
        var target = Target(id);
        History = await db.Audit.AsNoTracking().Where(a => a.Target == target && a.Action != AuditActions.AlertView)
            .OrderBy(a => a.AtUtc).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        var triageRoles = await db.Roles.Where(r => r.Name == StaffRoles.Admin || r.Name == StaffRoles.Analyst).Select(r => r.Id).ToListAsync(cancellationToken);
        Assignable = await db.UserRoles.Where(ur => triageRoles.Contains(ur.RoleId))
            .Join(db.Users, ur => ur.UserId, u => u.Id, (ur, u) => u.UserName!)
            .Distinct().OrderBy(n => n).ToListAsync(cancellationToken);
        Notes = await db.AlertNotes.AsNoTracking().Where(n => n.AlertId == id).OrderBy(n => n.AtUtc).ThenBy(n => n.Id).ToListAsync(cancellationToken);
        var contacts = Detection.Contacts.Select(c => c.Kind + ":" + c.Value).ToList();
        if (IsChat && Post.AuthorId is { } author)
        {
            // The sender is linked like a contact: the same person's messages in other groups.
            string[] keys = ["qq:" + author, "wxid:" + author, "email:" + author];
            SenderContact = await db.AlertContacts.Where(c => c.AlertId == id && keys.Contains(c.Contact)).Select(c => c.Contact).FirstOrDefaultAsync(cancellationToken);
            if (SenderContact is not null)
            {
                contacts.Add(SenderContact);
            }
        }

        ContactCounts = await db.AlertContacts.Where(c => contacts.Contains(c.Contact) && c.AlertId != id)
            .GroupBy(c => c.Contact).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var group = Alert.GroupId ?? Alert.Id;
        Related = await db.Alerts.AsNoTracking().Where(a => a.Id != id && (a.GroupId == group || a.Id == group))
            .OrderByDescending(a => a.Id).Take(50).ToListAsync(cancellationToken);
        return true;
    }

    private static string Target(long id) => AlertTriage.Target(id);

    /// <summary>
    /// The messages sent just before and after this one in the same group, from every import of it: an analyst judges a
    /// message by the conversation it is part of (a question it answers, the contact asked for before it).
    /// </summary>
    private async Task<IReadOnlyList<ChatContextMessage>> ChatContextAsync(CancellationToken cancellationToken)
    {
        if (Post.PostedAtUtc is not { } sent)
        {
            return [new ChatContextMessage(Post.Id, null, Post.Author, Post.AuthorId, TextHtml, true, Alert.Id)];
        }

        // Messages of the same second are ordered by their line in the export; a margin of them is read on each side.
        const int Read = (ChatContextSize * 2) + 2;
        var source = Post.SourceId;
        var before = await db.Posts.AsNoTracking().Where(p => p.SourceId == source && p.PostedAtUtc <= sent && p.Id != Post.Id)
            .OrderByDescending(p => p.PostedAtUtc).Take(Read)
            .Select(p => new { p.Id, p.PostedAtUtc, p.Author, p.AuthorId, p.Text, p.Url }).ToListAsync(cancellationToken);
        var after = await db.Posts.AsNoTracking().Where(p => p.SourceId == source && p.PostedAtUtc >= sent && p.Id != Post.Id)
            .OrderBy(p => p.PostedAtUtc).Take(Read)
            .Select(p => new { p.Id, p.PostedAtUtc, p.Author, p.AuthorId, p.Text, p.Url }).ToListAsync(cancellationToken);
        var messages = before.Concat(after).DistinctBy(p => p.Id)
            .Select(p => (p.Id, p.PostedAtUtc, p.Author, p.AuthorId, p.Text, Line: LineOf(p.Url) ?? 0))
            .Append((Post.Id, Post.PostedAtUtc, Post.Author, Post.AuthorId, Post.Text, Line: ChatLine ?? 0))
            .OrderBy(p => p.PostedAtUtc).ThenBy(p => p.Line).ThenBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var at = messages.FindIndex(p => p.Id == Post.Id);
        var shown = messages.Skip(Math.Max(0, at - ChatContextSize)).Take(Math.Min(at, ChatContextSize) + 1 + ChatContextSize).ToList();
        var ids = shown.Select(p => p.Id).ToList();
        var alerts = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.PostId)).Select(a => new { a.PostId, a.Id }).ToListAsync(cancellationToken);
        var alertOf = alerts.GroupBy(a => a.PostId).ToDictionary(g => g.Key, g => g.Min(a => a.Id), StringComparer.Ordinal);
        return [.. shown.Select(p => p.Id == Post.Id
            ? new ChatContextMessage(p.Id, p.PostedAtUtc, p.Author, p.AuthorId, TextHtml, true, Alert.Id)
            : new ChatContextMessage(p.Id, p.PostedAtUtc, p.Author, p.AuthorId, highlighter.Render(p.Text, "text", []), false, alertOf.TryGetValue(p.Id, out var other) ? other : null))];
    }

    /// <summary>Names a chat message's sender: nickname and number (学习资料（33334444）), whichever is known.</summary>
    public static string Sender(string? name, string? id, string unknown) =>
        name is null ? id ?? unknown : id is null || id == name ? name : $"{name}（{id}）";

    /// <summary>Reads the export line of a chat message from its address (<c>chat://kind/group/id?line=N</c>).</summary>
    private static int? LineOf(string url)
    {
        var at = url.LastIndexOf("?line=", StringComparison.Ordinal);
        return at >= 0 && int.TryParse(url.AsSpan(at + 6), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) ? line : null;
    }
}
