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

    /// <summary>Gets the next open alert after this one in the queue's order (newest first: the next older one), if any.</summary>
    public long? NextId { get; private set; }

    /// <summary>Gets the open alert before this one in the queue's order (the next newer one), if any.</summary>
    public long? PreviousId { get; private set; }

    /// <summary>Gets the receiving units alerts were handed to before (offered when escalating).</summary>
    public IReadOnlyList<string> KnownUnits { get; private set; } = [];

    /// <summary>Gets whether the signed-in user escalated this alert (then someone else must review and close it).</summary>
    public bool EscalatedByMe => Alert.Status == AlertStatus.Escalated && Alert.EscalatedBy == User.Identity?.Name;

    public Task<IActionResult> OnPostTakeAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, "已认领，并已受理。", (user, address) => triage.TakeAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostAssignAsync(long id, string? assignee, CancellationToken cancellationToken) =>
        TriageAsync(id, "已指派。", async (user, address) =>
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
        TriageAsync(id, "已加标签。", (user, address) => triage.TagAsync(id, tag?.Trim() ?? string.Empty, user, address, cancellationToken));

    public Task<IActionResult> OnPostUntagAsync(long id, string? tag, CancellationToken cancellationToken) =>
        TriageAsync(id, "已移除标签。", (user, address) => triage.UntagAsync(id, tag ?? string.Empty, user, address, cancellationToken));

    public Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, "已受理。", (user, address) => triage.AcknowledgeAsync(id, user, address, cancellationToken));

    /// <summary>Hands the alert to the police: the receiving unit, the contact there, the receipt number and a note in one submit.</summary>
    public Task<IActionResult> OnPostEscalateAsync(long id, string? unit, string? contact, string? receipt, string? note, CancellationToken cancellationToken) =>
        TriageAsync(id, "已移交公安。", async (user, address) =>
        {
            CheckNote(note);
            await triage.EscalateAsync(id, new Escalation(unit ?? string.Empty, contact, receipt), user, address, cancellationToken);
            await NoteAsync(id, note, user, address, cancellationToken);
        });

    /// <summary>Records the receipt or case number the receiving unit gave for an escalated alert.</summary>
    public Task<IActionResult> OnPostReceiptAsync(long id, string? receipt, CancellationToken cancellationToken) =>
        TriageAsync(id, "回执号已登记。", (user, address) => triage.RecordReceiptAsync(id, receipt ?? string.Empty, user, address, cancellationToken));

    /// <summary>Closes the alert with a reason and, in the same submit, a note; with <paramref name="next"/> the next open alert opens.</summary>
    public async Task<IActionResult> OnPostCloseAsync(long id, string? reason, string? note, bool next, CancellationToken cancellationToken)
    {
        var result = await TriageAsync(id, "已关闭。", async (user, address) =>
        {
            CheckNote(note);
            await triage.CloseAsync(id, reason ?? string.Empty, user, address, cancellationToken);
            await NoteAsync(id, note, user, address, cancellationToken);
        });
        if (!next || Failed)
        {
            return result;
        }

        var following = await NextOpenAsync(id, cancellationToken);
        Message = following is null ? UiText.Get("已关闭。队列中已没有未关闭的告警。") : UiText.Format("已关闭告警 #{0}。这是下一条。", id);
        return following is { } nextId ? RedirectToPage(new { id = nextId }) : RedirectToPage("/Index");
    }

    private bool Failed { get; set; }

    private static void CheckNote(string? note)
    {
        if (note is { Length: > AlertTriage.MaxNoteLength })
        {
            throw new TriageException(new Messages.StaffText("备注不能为空，且不超过 {0} 字。", AlertTriage.MaxNoteLength));
        }
    }

    private Task NoteAsync(long id, string? note, string user, string? address, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(note) ? Task.CompletedTask : triage.AddNoteAsync(id, note, user, address, cancellationToken);

    /// <summary>The next open alert in the queue's order after <paramref name="id"/> (the next older one), else the newest other open one.</summary>
    private async Task<long?> NextOpenAsync(long id, CancellationToken cancellationToken)
    {
        var open = db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Closed && a.Id != id);
        return await open.Where(a => a.Id < id).OrderByDescending(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken)
            ?? await open.OrderByDescending(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostReopenAsync(long id, CancellationToken cancellationToken) =>
        TriageAsync(id, "已重新打开。", (user, address) => triage.ReopenAsync(id, user, address, cancellationToken));

    public Task<IActionResult> OnPostNoteAsync(long id, string? note, CancellationToken cancellationToken) =>
        TriageAsync(id, "备注已添加。", (user, address) => triage.AddNoteAsync(id, note ?? string.Empty, user, address, cancellationToken));

    /// <summary>Gets whether <see cref="Message"/> says a step was refused (shown as an error) rather than done.</summary>
    [TempData]
    public bool MessageIsError { get; set; }

    private async Task<IActionResult> TriageAsync(long id, string done, Func<string, string?, Task> step)
    {
        if (!CanTriage)
        {
            return Forbid();
        }

        try
        {
            await step(User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString());
            Message = UiText.Get(done);
            MessageIsError = false;
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        catch (TriageException e)
        {
            Message = UiText.Of(e.Text);
            MessageIsError = true;
            Failed = true;
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
        var open = db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Closed && a.Id != id);
        NextId = await open.Where(a => a.Id < id).OrderByDescending(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);
        PreviousId = await open.Where(a => a.Id > id).OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken);
        KnownUnits = await db.Alerts.AsNoTracking().Where(a => a.EscalatedTo != null).Select(a => a.EscalatedTo!).Distinct().OrderBy(u => u).Take(50).ToListAsync(cancellationToken);
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
