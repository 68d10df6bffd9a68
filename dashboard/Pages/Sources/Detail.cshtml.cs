using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Jobs;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Sources;

/// <summary>
/// One source: what is crawled and how, its written authorisations (with validity), the last crawls; admins add an
/// authorisation, stop or restart crawling and queue a crawl now. Every action is audited.
/// </summary>
[RequestSizeLimit(ImportRequestLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportRequestLimit)]
public sealed class DetailModel(SourceRegistry registry, CrawlScheduler scheduler, WatchDbContext db, AuditLog audit, TimeProvider time) : PageModel
{
    /// <summary>The largest request the page takes: an export of the largest size read, and the form around it.</summary>
    public const long ImportRequestLimit = ExamNetWatch.Crawler.Chat.ChatExportReader.MaxBytes + (1024 * 1024);

    /// <summary>Gets whether the signed-in user may import a group chat's export (Admin or Analyst).</summary>
    public bool CanImport => User.IsInRole(StaffRoles.Admin) || User.IsInRole(StaffRoles.Analyst);

    /// <summary>Gets what the last import of this page did, shown without scripts.</summary>
    public ExamNetWatch.Dashboard.Chat.ChatImportResult? Imported { get; private set; }

    public Source? Source { get; private set; }

    public SourceStatus? Status { get; private set; }

    public string? Warning { get; private set; }

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    /// <summary>Gets the sweeps of the source's boards: how much of each board's history has been read, and what is left.</summary>
    public IReadOnlyList<ExamNetWatch.Crawler.Crawling.BoardProgress> Sweeps { get; private set; } = [];

    public DateTime NowUtc { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public AuthorisationForm Authorisation { get; set; } = new();

    public bool CanEdit => User.IsInRole(StaffRoles.Admin);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAuthoriseAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            var authorisation = Authorisation.ToRegistration(User.Identity!.Name!);
            if (await registry.AuthoriseAsync(id, authorisation, RemoteAddress, cancellationToken) is null)
            {
                return NotFound();
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Error = UiText.Get("授权未登记：") + ex.Message;
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        TempData["SourceMessage"] = UiText.Get("授权已登记。");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRevokeAsync(int id, int authorisation, string? reason, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        try
        {
            if (await registry.RevokeAsync(id, authorisation, User.Identity!.Name!, reason, RemoteAddress, cancellationToken) is null)
            {
                return NotFound();
            }
        }
        catch (ArgumentException ex)
        {
            Error = UiText.Get("授权未撤销：") + ex.Message;
            return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
        }

        TempData["SourceMessage"] = UiText.Get("授权已撤销；没有其他有效授权时立即停止抓取。");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostEnableAsync(int id, bool enable, string? reason, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var source = enable
            ? await registry.EnableAsync(key, User.Identity!.Name!, RemoteAddress, cancellationToken)
            : await registry.DisableAsync(key, User.Identity!.Name!, reason, cancellationToken);
        if (source is null)
        {
            return NotFound();
        }

        TempData["SourceMessage"] = enable ? UiText.Get("已恢复抓取（一分钟内按计划执行）。") : UiText.Get("已停止抓取，已抓取的数据保留。");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostRunAsync(int id, CancellationToken cancellationToken)
    {
        if (await RefusedCrawlAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        var job = scheduler.RunNow(id);
        audit.Add(db, User.Identity!.Name!, AuditActions.SourceRunNow, "source:" + Source!.Name, "job " + job, RemoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        TempData["SourceMessage"] = UiText.Format("已加入抓取队列（任务 {0}），完成后“最近抓取”会更新。", job);
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// Starts the sweep of the source's boards again — the whole history, or back to a Beijing date (a special check
    /// before an exam): every board page is read again, threads unchanged since they were last read are not.
    /// </summary>
    public async Task<IActionResult> OnPostSweepAsync(int id, string? since, CancellationToken cancellationToken)
    {
        if (await RefusedCrawlAsync(id, cancellationToken) is { } refused)
        {
            return refused;
        }

        DateTime? sinceUtc;
        try
        {
            sinceUtc = BeijingTime.ParseDayUtc(since);
        }
        catch (FormatException)
        {
            Error = UiText.Format("“{0}”不是日期，请按 2026-01-31 的格式填写（北京时间）。", since ?? string.Empty);
            return Page();
        }

        // The progress is forgotten before the job is queued, so the crawl it runs sweeps.
        var (_, job) = (await registry.RestartSweepAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), sinceUtc, User.Identity!.Name!, scheduler.RunNow, RemoteAddress, cancellationToken))!.Value;
        TempData["SourceMessage"] = UiText.Format("已开始扫描历史（{0}，任务 {1}），进度见“历史扫描”。", UiText.Get(sinceUtc is null ? "全部历史" : "自所填日期"), job);
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// Imports a group chat's export uploaded by an analyst or admin: the file is read whole, refused whole (naming the
    /// line) if any of it cannot be read, kept byte for byte and audited. The page's script sends it with a progress bar
    /// and asks for JSON; without scripts the page is shown again with the result.
    /// </summary>
    public async Task<IActionResult> OnPostImportAsync(int id, IFormFile? file, [FromServices] ExamNetWatch.Dashboard.Chat.ChatImporter importer, CancellationToken cancellationToken)
    {
        if (!CanImport)
        {
            return Forbid();
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var json = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        string? error = null;
        if (!Source!.IsChat)
        {
            error = UiText.Get("论坛来源按计划抓取，不导入聊天记录。");
        }
        else if (file is null || file.Length == 0)
        {
            error = UiText.Get("请选择要导入的聊天记录文件。");
        }
        else if (file.Length > ExamNetWatch.Crawler.Chat.ChatExportReader.MaxBytes)
        {
            error = UiText.Format("文件 {0} MB，超过单个导出文件的上限 {1} MB。", file.Length / 1024 / 1024, ExamNetWatch.Crawler.Chat.ChatExportReader.MaxBytes / 1024 / 1024);
        }

        if (error is null)
        {
            var bytes = new byte[file!.Length];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(bytes, cancellationToken);
            }

            try
            {
                Imported = await importer.ImportAsync(id, file.FileName, bytes, User.Identity!.Name!, RemoteAddress, cancellationToken);
            }
            catch (ExamNetWatch.Crawler.Chat.ChatImportException e)
            {
                error = e.Line > 0 ? UiText.Format("未导入：第 {0} 行无法读取（{1}），文件中的消息一条也没有导入。", e.Line, e.Problem) : UiText.Format("未导入：{0}，文件中的消息一条也没有导入。", e.Problem);
            }
            catch (ExamNetWatch.Dashboard.Chat.ChatImportRefusedException e)
            {
                error = UiText.Format("未导入：{0}", e.Message);
            }
        }

        if (json)
        {
            return error is null
                ? new JsonResult(new { ok = true, message = ImportedText(Imported!), result = Imported })
                : new JsonResult(new { ok = false, message = error }) { StatusCode = StatusCodes.Status422UnprocessableEntity };
        }

        Error = error;
        Message = Imported is null ? null : ImportedText(Imported);
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>Says what an import did, as the page shows it.</summary>
    public static string ImportedText(ExamNetWatch.Dashboard.Chat.ChatImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return UiText.Format("已导入（{0}）：读取消息 {1} 条，新消息 {2} 条，已导入过 {3} 条，跳过系统消息 {4} 条，新告警 {5} 条。文件 SHA-256 {6}", result.Format, result.Read, result.New, result.Known, result.Skipped, result.Alerts, result.Sha256)
            + (result.Unauthorised == 0 ? string.Empty : UiText.Format("另有 {0} 条消息发送于授权有效期之外，未导入。", result.Unauthorised));
    }

    /// <summary>Loads the source for a crawl started by hand; returns why not (not an admin, no such source, not active), or null.</summary>
    private async Task<IActionResult?> RefusedCrawlAsync(int id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (Source!.IsChat)
        {
            Error = UiText.Get("群聊不抓取：请导入群成员导出的聊天记录。");
            return Page();
        }

        if (Status is not { IsActive: true })
        {
            Error = UiText.Get("不能抓取：") + UiText.Of(Status!.Reason);
            return Page();
        }

        return null;
    }

    /// <summary>Names the state of an authorisation at the time the page was made.</summary>
    public string AuthorisationState(SourceAuthorisation a) =>
        a.RevokedAtUtc is not null ? UiText.Get("已撤销") : a.ValidUntilUtc <= NowUtc ? UiText.Get("已过期") : a.ValidFromUtc > NowUtc ? UiText.Get("未生效") : UiText.Get("有效");

    private string? RemoteAddress => HttpContext.Connection.RemoteIpAddress?.ToString();

    private async Task<bool> LoadAsync(int id, CancellationToken cancellationToken)
    {
        NowUtc = time.GetUtcNow().UtcDateTime;
        Source = await registry.FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        if (Source is null)
        {
            return false;
        }

        Status = SourceStatus.Of(Source, NowUtc);
        Warning = SourceStatus.Warning(Source, NowUtc) is { } warning ? UiText.Of(warning) : null;
        Message ??= TempData["SourceMessage"] as string;
        var target = "source:" + Source.Name;
        History = await db.Audit.AsNoTracking().Where(a => a.Target == target).OrderByDescending(a => a.Id).Take(50).ToListAsync(cancellationToken);
        Sweeps = [.. (await db.CrawlBoards.AsNoTracking().Where(b => b.SourceId == Source.Id).OrderBy(b => b.BoardUrl).Take(200).ToListAsync(cancellationToken))
            .Select(ExamNetWatch.Dashboard.Ingestion.DbCrawlState.ToProgress)];
        return true;
    }
}
