using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Triage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>
/// The alert queue: filters (status, severity, category, source, assignee, time, text), newest or most severe first,
/// 50 a page, and bulk actions on everything the filter matches — not just the page.
/// </summary>
public sealed class IndexModel(WatchDbContext db, AlertTriage triage, ExamNetWatch.Dashboard.Indexing.IndexingStatus indexing, TimeProvider time, SlaOptions sla) : PageModel
{
    private const int PageSize = 50;

    /// <summary>One row of the queue.</summary>
    public sealed record Row(long Id, DateTime CreatedAtUtc, int Severity, string Status, string Source, string Title, string Categories, string MatchedTerms, string? Assignee, string? Tags, long? GroupId, DateTime? DueAtUtc)
    {
        /// <summary>Gets how many alerts of the filter are in this row's group (grouped view; 1 otherwise).</summary>
        public int GroupCount { get; init; } = 1;

        /// <summary>Gets the kind of the alert's source (a group chat's alert is marked as one).</summary>
        public string SourceKind { get; init; } = SourceKinds.Forum;

        /// <summary>Gets when the post was made or the message sent (UTC), if known: what the queue's time column shows.</summary>
        public DateTime? PostedAtUtc { get; init; }
    }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Severity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Assignee { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "newest";

    /// <summary>Gets or sets whether reposts and posts sharing a contact fold into one row per group.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Grouped { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Group { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    /// <summary>Gets or sets a named time window: "24h", "today" or "exam" (<see cref="AlertFilter.Within"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Within { get; set; }

    /// <summary>Gets the papers of the exam day "exam" selects: today's, or else the last day that had papers.</summary>
    public IReadOnlyList<ExamSlot> ExamDay { get; private set; } = [];

    /// <summary>
    /// Gets or sets the time (Unix milliseconds) a bulk action's page judged its filter at: the bulk form sends it, so
    /// "overdue" selects what the page showed, not what became overdue since.
    /// </summary>
    [BindProperty(SupportsGet = true, Name = "asof")]
    public long? AsOf { get; set; }

    /// <summary>Gets or sets the newest alert id a bulk action's page counted (alerts raised since are left alone).</summary>
    [BindProperty(Name = "upto")]
    public long? UpTo { get; set; }

    /// <summary>Gets or sets how many alerts a bulk action's page said it would change.</summary>
    [BindProperty(Name = "expected")]
    public int? Expected { get; set; }

    /// <summary>
    /// Gets or sets the alerts ticked on the page: a bulk action then changes those only (each must still match the
    /// filter); none ticked, it changes everything the filter matches.
    /// </summary>
    [BindProperty(Name = "ids")]
    public List<long> Ids { get; set; } = [];

    /// <summary>Gets how many of the matching alerts were already handed to the police (the bulk confirmation names them).</summary>
    public int MatchingEscalated { get; private set; }

    /// <summary>Gets or sets the bulk action a refused attempt asked for, so the form shows it again instead of starting over.</summary>
    [TempData]
    public string? BulkAction { get; set; }

    /// <summary>Gets or sets the argument a refused bulk attempt was given.</summary>
    [TempData]
    public string? BulkArgument { get; set; }

    /// <summary>Gets or sets the alerts a refused bulk attempt had ticked (comma-separated ids).</summary>
    [TempData]
    public string? BulkIds { get; set; }

    /// <summary>Gets or sets whether <see cref="Message"/> says an action was refused rather than done.</summary>
    [TempData]
    public bool MessageIsError { get; set; }

    /// <summary>Gets whether a refused bulk attempt had ticked this alert.</summary>
    public bool WasTicked(long id) => BulkIds is { } ticked && ticked.Split(',').Contains(id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Gets whether rows can be ticked for a bulk action (not in the grouped view, where a row stands for a group).</summary>
    public bool RowsSelectable => CanTriage && !(Grouped && Group is null);

    /// <summary>Gets the newest alert id among those matching (what the bulk form sends as <see cref="UpTo"/>).</summary>
    public long NewestMatching { get; private set; }

    private readonly DateTime _now = time.GetUtcNow().UtcDateTime;

    /// <summary>Gets the time (UTC) the filter is judged at: now, or the bulk form's page time if earlier.</summary>
    public DateTime NowUtc => AsOf is long ms && ms >= 0 && ms < new DateTimeOffset(_now).ToUnixTimeMilliseconds()
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
        : _now;

    /// <summary>Gets the exam papers open now (the queue says so: SLAs are shorter and posts naming them rise).</summary>
    public IReadOnlyList<ExamSlot> OpenExams { get; private set; } = [];

    /// <summary>Gets the next paper to start within the coming 7 days, if no paper is open now (the queue counts down to it).</summary>
    public ExamSlot? NextExam { get; private set; }

    /// <summary>Gets whether the next paper is close enough that alerts already get the exam deadlines (<see cref="SlaOptions.PreExamHours"/>).</summary>
    public bool PreExamWindow => NextExam is { } next && next.StartsAtUtc - NowUtc <= TimeSpan.FromHours(sla.PreExamHours);

    /// <summary>Gets the pre-exam window in hours.</summary>
    public int PreExamHours => sla.PreExamHours;

    /// <summary>Gets how many new alerts are past their SLA.</summary>
    public int OverdueCount { get; private set; }

    /// <summary>Describes an alert's SLA for the queue: time left, or how long overdue; empty once it was taken up.</summary>
    /// <summary>Gets whether a new alert is past its due time.</summary>
    public bool IsOverdue(Row row) => row.Status == AlertStatus.New && row.DueAtUtc is { } due && due <= NowUtc;

    public string Sla(Row row) =>
        row.Status != AlertStatus.New || row.DueAtUtc is not { } due ? string.Empty
        : due > NowUtc ? UiText.Format("剩 {0}", Minutes(due - NowUtc))
        : UiText.Format("超时 {0}", Minutes(NowUtc - due));

    private static string Minutes(TimeSpan span) => span.TotalMinutes < 120 ? UiText.Format("{0} 分钟", (int)span.TotalMinutes) : UiText.Format("{0} 小时", (int)span.TotalHours);

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [TempData]
    public string? Message { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public IReadOnlyDictionary<int, string> SourceNames { get; private set; } = new Dictionary<int, string>();

    public int Matching { get; private set; }

    public bool HasMore { get; private set; }

    public string? FilterError { get; private set; }

    /// <summary>Gets how many changes wait for the search index (it grows while the index is unavailable).</summary>
    public int IndexBacklog { get; private set; }

    /// <summary>Gets the indexing worker's last error, if the last batch failed.</summary>
    public string? IndexError => indexing.LastError;

    /// <summary>Gets whether the signed-in user may triage (Admin or Analyst).</summary>
    public bool CanTriage => User.IsInRole(StaffRoles.Admin) || User.IsInRole(StaffRoles.Analyst);

    /// <summary>
    /// Gets whether the page shows the open queue as it comes (first page, newest first, no filter): only then do live
    /// alerts join the table; a filtered or later page only counts them in the banner, so it keeps showing what it says.
    /// </summary>
    public bool TakesLiveRows => Status is null && Severity is null && Category is null && Source is null && Assignee is null
        && From is null && To is null && Within is null or "24h" or "today" && string.IsNullOrEmpty(Q) && Group is null && !Grouped && !Overdue && Sort == "newest" && PageNumber == 1;

    public AlertFilter Filter => new()
    {
        Status = Status, MinSeverity = Severity, Category = Category, SourceId = Source, Assignee = Assignee, From = From, To = To, Text = Q, GroupId = Group, Overdue = Overdue, NowUtc = NowUtc,
        Within = AlertFilter.Windows.Contains(Within) ? Within : null,
        ExamStartUtc = ExamDay.Count == 0 ? null : ExamDay.Min(x => x.StartsAtUtc),
        ExamEndUtc = ExamDay.Count == 0 ? null : ExamDay.Max(x => x.EndsAtUtc),
    };

    /// <summary>The query string of the current filter with another named time window (null: none) and from page 1.</summary>
    public Dictionary<string, string?> WithinRoute(string? within) =>
        new Microsoft.AspNetCore.Routing.RouteValueDictionary(RouteValues(1)) { ["within"] = within, ["from"] = null, ["to"] = null }
            .Where(kv => kv.Value is not null && !(kv.Value is false))
            .ToDictionary(kv => kv.Key, kv => kv.Value is bool b ? (b ? "true" : "false") : Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Loads the exam day the "exam" window selects: today's papers (Beijing), or else the last day that had papers.</summary>
    private async Task LoadExamDayAsync(CancellationToken cancellationToken)
    {
        var now = NowUtc;
        var todayStart = Hosting.BeijingTime.StartUtc(Hosting.BeijingTime.DayOf(now));
        var todayEnd = todayStart.AddDays(1);
        var slots = await db.ExamSlots.AsNoTracking().Where(x => x.StartsAtUtc >= todayStart && x.StartsAtUtc < todayEnd).ToListAsync(cancellationToken);
        if (slots.Count == 0 && await db.ExamSlots.AsNoTracking().Where(x => x.StartsAtUtc < todayStart).OrderByDescending(x => x.StartsAtUtc).FirstOrDefaultAsync(cancellationToken) is { } last)
        {
            var dayStart = Hosting.BeijingTime.StartUtc(Hosting.BeijingTime.DayOf(last.StartsAtUtc));
            var dayEnd = dayStart.AddDays(1);
            slots = await db.ExamSlots.AsNoTracking().Where(x => x.StartsAtUtc >= dayStart && x.StartsAtUtc < dayEnd).ToListAsync(cancellationToken);
        }

        ExamDay = [.. slots.OrderBy(x => x.StartsAtUtc)];
    }

    /// <summary>The query string of the current filter and order (for links that keep them).</summary>
    public object RouteValues(int? page = null) => new { status = Status, severity = Severity, category = Category, source = Source, assignee = Assignee, from = From, to = To, within = Within, q = Q, group = Group, grouped = Grouped, overdue = Overdue, sort = Sort, p = page ?? PageNumber };

    /// <summary>
    /// The bulk form's query: every part of <see cref="Filter"/> (all of <see cref="RouteValues"/> but the order and
    /// the page) and the time it was judged at, so the action selects exactly what the page counted.
    /// </summary>
    public Dictionary<string, string?> BulkRouteValues()
    {
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary(RouteValues())
            .Where(kv => kv.Key is not ("sort" or "p" or "grouped") && kv.Value is not null && !(kv.Value is false))
            .ToDictionary(kv => kv.Key, kv => kv.Value is bool b ? (b ? "true" : "false") : Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture));
        values["asof"] = new DateTimeOffset(NowUtc, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return values;
    }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        PageNumber = Math.Max(1, PageNumber);
        await LoadExamDayAsync(cancellationToken);
        IndexBacklog = await db.IndexOutbox.CountAsync(cancellationToken);
        var now = NowUtc;
        OpenExams = await db.ExamSlots.AsNoTracking().OpenAt(now).OrderBy(x => x.EndsAtUtc).ToListAsync(cancellationToken);
        var week = now.AddDays(7);
        NextExam = OpenExams.Count > 0 ? null
            : await db.ExamSlots.AsNoTracking().Where(x => x.StartsAtUtc > now && x.StartsAtUtc <= week).OrderBy(x => x.StartsAtUtc).FirstOrDefaultAsync(cancellationToken);
        OverdueCount = await db.Alerts.CountAsync(a => a.Status == AlertStatus.New && a.DueAtUtc != null && a.DueAtUtc < now, cancellationToken);
        SourceNames = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        Counts = await db.Alerts.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        IQueryable<Alert> query;
        try
        {
            query = Filter.Apply(db.Alerts.AsNoTracking(), User.Identity!.Name!, db.AlertContacts);
        }
        catch (FormatException)
        {
            FilterError = UiText.Get("日期格式应为 2026-06-20。");
            return;
        }

        Matching = await query.CountAsync(cancellationToken);
        // Only the bulk form's confirmation uses it: no query for staff who cannot triage.
        MatchingEscalated = Matching == 0 || !CanTriage ? 0 : await query.CountAsync(a => a.Status == AlertStatus.Escalated, cancellationToken);
        NewestMatching = Matching == 0 ? 0 : await query.MaxAsync(a => a.Id, cancellationToken);
        if (Grouped && Group is null)
        {
            // One row per group: its newest alert, with how many of the filter's alerts the group holds.
            var groups = await query
                .GroupBy(a => a.GroupId ?? a.Id)
                .Select(g => new { Key = g.Key, Count = g.Count(), Newest = g.Max(a => a.Id) })
                .OrderByDescending(g => g.Newest)
                .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1)
                .ToListAsync(cancellationToken);
            HasMore = groups.Count > PageSize;
            var newest = groups.Take(PageSize).Select(g => g.Newest).ToList();
            var counts = groups.ToDictionary(g => g.Newest, g => g.Count);
            var grouped = await Project(db.Alerts.AsNoTracking().Where(a => newest.Contains(a.Id))).ToListAsync(cancellationToken);
            Rows = [.. grouped.OrderByDescending(r => r.Id).Select(r => r with { GroupCount = counts[r.Id] })];
            await LoadSellerEscalatedAsync(cancellationToken);
            return;
        }

        query = Sort == "severity"
            ? query.OrderByDescending(a => a.Severity).ThenByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id)
            : query.OrderByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id);
        var rows = await Project(query.Skip((PageNumber - 1) * PageSize).Take(PageSize + 1)).ToListAsync(cancellationToken);
        HasMore = rows.Count > PageSize;
        Rows = [.. rows.Take(PageSize)];
        await LoadSellerEscalatedAsync(cancellationToken);
    }

    private IQueryable<Row> Project(IQueryable<Alert> alerts) =>
        alerts.Select(a => new Row(a.Id, a.CreatedAtUtc, a.Severity, a.Status, db.Sources.Where(s => s.Id == a.SourceId).Select(s => s.Name).FirstOrDefault() ?? "?", a.Title, a.Categories, a.MatchedTerms, a.Assignee, a.Tags, a.GroupId, a.DueAtUtc)
        {
            SourceKind = db.Sources.Where(s => s.Id == a.SourceId).Select(s => s.Kind).FirstOrDefault() ?? SourceKinds.Forum,
            PostedAtUtc = a.Post!.PostedAtUtc,
        });

    /// <summary>
    /// Gets the open rows whose seller was already handed to the police: another alert of the same group, or one sharing
    /// a contact (the same WeChat, QQ…), is or was escalated. Such an alert is not news; the queue says so.
    /// </summary>
    public IReadOnlySet<long> SellerEscalated { get; private set; } = new HashSet<long>();

    private async Task LoadSellerEscalatedAsync(CancellationToken cancellationToken)
    {
        var open = Rows.Where(r => r.Status is AlertStatus.New or AlertStatus.Acknowledged).ToList();
        if (open.Count == 0)
        {
            return;
        }

        var ids = open.Select(r => r.Id).ToList();
        var contacts = await db.AlertContacts.AsNoTracking().Where(c => ids.Contains(c.AlertId)).Select(c => new { c.AlertId, c.Contact }).ToListAsync(cancellationToken);
        var keys = contacts.Select(c => c.Contact).Distinct(StringComparer.Ordinal).ToList();
        var escalatedContacts = (await db.AlertContacts.AsNoTracking()
            .Where(c => keys.Contains(c.Contact) && !ids.Contains(c.AlertId) && db.Alerts.Any(a => a.Id == c.AlertId && a.EscalatedTo != null))
            .Select(c => c.Contact).Distinct().ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var groups = open.Select(r => r.GroupId ?? r.Id).Distinct().ToList();
        var escalatedGroups = (await db.Alerts.AsNoTracking().Where(a => a.EscalatedTo != null && groups.Contains(a.GroupId ?? a.Id))
            .Select(a => new { Group = a.GroupId ?? a.Id, a.Id }).ToListAsync(cancellationToken));
        SellerEscalated = open.Where(r =>
                contacts.Any(c => c.AlertId == r.Id && escalatedContacts.Contains(c.Contact))
                || escalatedGroups.Any(g => g.Group == (r.GroupId ?? r.Id) && g.Id != r.Id))
            .Select(r => r.Id).ToHashSet();
    }

    /// <summary>Applies a bulk action to every alert the page's filter matched when it was shown.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string action, string? argument, CancellationToken cancellationToken)
    {
        if (!CanTriage)
        {
            return Forbid();
        }

        try
        {
            // Exactly the set the page stated: its filter as judged at its time, no alert newer than it counted, and
            // nothing at all if that set is no longer the size the page showed.
            if (AsOf is null || UpTo is not { } upTo || Expected is not { } expected)
            {
                throw new TriageException(new Messages.StaffText("批量操作缺少页面的筛选信息，请刷新页面后重试。"));
            }

            await LoadExamDayAsync(cancellationToken);
            var matching = Filter.Apply(db.Alerts, User.Identity!.Name!, db.AlertContacts).Where(a => a.Id <= upTo);
            var ticked = Ids.Distinct().ToList();
            if (ticked.Count > MaxTicked)
            {
                throw new TriageException(new Messages.StaffText("一次最多勾选 {0} 条告警；更多请用筛选条件选中后不勾选、直接执行。", MaxTicked));
            }

            if (ticked.Count > 0)
            {
                // Only the ticked rows, and only while each still matches what the page showed: if one was changed
                // meanwhile, the count differs and nothing is done.
                matching = matching.Where(a => ticked.Contains(a.Id));
                expected = ticked.Count;
            }

            var result = await triage.BulkAsync(matching, action, argument, User.Identity!.Name!, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken, expected);
            Message = result.Skipped == 0
                ? UiText.Format("已处理 {0} 条告警。", result.Changed)
                : UiText.Format("已处理 {0} 条告警；{1} 条的状态不允许此操作，未改动。", result.Changed, result.Skipped);
            MessageIsError = false;
        }
        catch (TriageException e)
        {
            Refused(UiText.Of(e.Text), action, argument);
        }
        catch (FormatException)
        {
            Refused(UiText.Get("日期格式应为 2026-06-20。"), action, argument);
        }

        AsOf = null;
        return RedirectToPage(RouteValues(1));
    }

    /// <summary>The most rows one bulk action takes ticked (beyond, the filter selects them).</summary>
    public const int MaxTicked = 500;

    private void Refused(string message, string action, string? argument)
    {
        // The form comes back as it was sent: the action, its argument and the ticked rows.
        Message = message;
        MessageIsError = true;
        BulkAction = action;
        BulkArgument = argument;
        BulkIds = Ids.Count == 0 ? null : string.Join(',', Ids.Distinct().Take(MaxTicked).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
