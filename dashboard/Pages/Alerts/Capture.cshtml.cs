using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Alerts;

/// <summary>
/// The raw capture behind an alert, as text: the WARC record's fields, the HTTP response head and the page source
/// decoded with its charset — shown as text, never rendered as HTML, and cut at 2 MB.
/// </summary>
public sealed partial class CaptureModel(WatchDbContext db, ICaptureReader captures, AuditLog audit) : PageModel
{
    private const int MaxChars = 2 * 1024 * 1024;

    public long AlertId { get; private set; }

    public Post Post { get; private set; } = null!;

    public WarcRecord? Record { get; private set; }

    public string Head { get; private set; } = string.Empty;

    public string Source { get; private set; } = string.Empty;

    public bool Truncated { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().Include(a => a.Post).SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (alert?.Post is null)
        {
            return NotFound();
        }

        AlertId = id;
        Post = alert.Post;
        audit.Add(db, User.Identity!.Name!, AuditActions.AlertViewCapture, FormattableString.Invariant($"alert:{id}"), Post.WarcRecordId, HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            Record = captures.Read(new CaptureRef(Post.CaptureSha256, Post.WarcFile, Post.WarcOffset, Post.WarcLength, Post.WarcRecordId));
        }
        catch (CaptureTamperedException)
        {
            Error = UiText.Get("原始快照已被改动：记录内容与写入时的摘要（WARC-Block-Digest）不符，不能作为原件展示。");
            return Page();
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or ArgumentException)
        {
            Error = UiText.Format("无法读取原始快照（{0}）：文件缺失、已按保留期限清除或已损坏。", e.GetType().Name);
            return Page();
        }

        if (Record.Type == "resource")
        {
            // A kept file (a group chat's export): its record's fields, then the file's text as the member exported it.
            Head = string.Join('\n', Record.Fields.Select(f => $"{f.Key}: {f.Value}"));
            var exported = ExamNetWatch.Crawler.Chat.ChatText.Decode(Record.Block.Span).Text;
            Truncated = exported.Length > MaxChars;
            Source = Truncated ? exported[..MaxChars] : exported;
            return Page();
        }

        var (head, payload) = WarcReader.SplitHttp(Record.Block);
        Head = head;
        var text = PageDecoder.Decode(payload.Span, Charset().Match(head) is { Success: true } m ? m.Groups[1].Value : null);
        Truncated = text.Length > MaxChars;
        Source = Truncated ? text[..MaxChars] : text;
        return Page();
    }

    [GeneratedRegex(@"charset=([\w-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Charset();
}
