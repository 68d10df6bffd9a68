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
public sealed class DetailModel(SourceRegistry registry, CrawlScheduler scheduler, WatchDbContext db, AuditLog audit, TimeProvider time) : PageModel
{
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
