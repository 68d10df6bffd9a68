using System.Globalization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Reports;

/// <summary>
/// The special-check report (专项检查报告) an authority sends upward for a period: the sources checked with their
/// authorisations, the pages and posts examined, alerts by category and severity, the confirmed cases and what was
/// done with each, and the items still open.
/// </summary>
public sealed class SpecialCheckReport(WatchDbContext db, TimeProvider time)
{
    /// <summary>The longest 文号 accepted.</summary>
    public const int MaxDocumentNumber = 50;

    /// <summary>The longest conclusions accepted, in characters.</summary>
    public const int MaxConclusions = 4000;

    /// <summary>Builds the report for the Beijing days <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    /// <exception cref="ArgumentException">The period runs backwards, is longer than a year or ends after today; the authority is blank.</exception>
    public Task<ReportDocument> BuildAsync(DateOnly from, DateOnly to, string authority, CancellationToken cancellationToken) =>
        BuildAsync(new SpecialCheckRequest(from, to, authority), cancellationToken);

    /// <summary>Builds the report <paramref name="request"/> asks for.</summary>
    /// <exception cref="ArgumentException">
    /// The period runs backwards, is longer than a year or ends after today (Beijing); the authority is blank; the 文号 or
    /// the conclusions are too long. The message names which.
    /// </exception>
    public async Task<ReportDocument> BuildAsync(SpecialCheckRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (from, to) = (request.From, request.To);
        if (to < from || to.DayNumber - from.DayNumber >= 366)
        {
            throw new ArgumentException("the period must run forwards and cover at most 366 days.");
        }

        var today = Hosting.BeijingTime.Today(time);
        if (to > today)
        {
            throw new ArgumentException($"the period ends on {to:yyyy-MM-dd}, after today ({today:yyyy-MM-dd} Beijing time): a report covers what has already happened.");
        }

        if (string.IsNullOrWhiteSpace(request.Authority))
        {
            throw new ArgumentException("the reporting authority (报送单位) is empty.");
        }

        if (request.DocumentNumber is { Length: > MaxDocumentNumber } || (request.DocumentNumber?.Any(char.IsControl) ?? false))
        {
            throw new ArgumentException($"the document number (文号) must be one line of at most {MaxDocumentNumber} characters.");
        }

        if (request.Conclusions is { Length: > MaxConclusions })
        {
            throw new ArgumentException($"the conclusions are {request.Conclusions.Length} characters long; at most {MaxConclusions}.");
        }

        var authority = request.Authority.Trim();

        var start = Hosting.BeijingTime.StartUtc(from);
        var end = Hosting.BeijingTime.StartUtc(to.AddDays(1));
        var sources = await db.Sources.AsNoTracking().Include(s => s.Authorisations).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var runs = await db.CrawlRuns.AsNoTracking().Where(r => r.StartedAtUtc >= start && r.StartedAtUtc < end)
            .GroupBy(r => r.SourceId)
            .Select(g => new { SourceId = g.Key, Runs = g.Count(), Pages = g.Sum(r => r.Pages), Posts = g.Sum(r => r.PostsExamined), NewPosts = g.Sum(r => r.NewPosts), Failures = g.Sum(r => r.Failures) })
            .ToDictionaryAsync(r => r.SourceId, cancellationToken);
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.CreatedAtUtc >= start && a.CreatedAtUtc < end).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var checkedSources = sources.Where(s => runs.ContainsKey(s.Id) || s.Authorisations.Any(a => a.ValidFromUtc < end && a.ValidUntilUtc > start)).ToList();
        var names = sources.ToDictionary(s => s.Id, s => s.Name);
        var period = $"{from:yyyy年M月d日}至{to:yyyy年M月d日}";
        var chats = checkedSources.Where(s => s.IsChat).ToList();
        var forums = checkedSources.Where(s => !s.IsChat).ToList();

        var blocks = new List<ReportBlock>
        {
            new ReportHeading("关于考试舆情与作弊器材网络信息的专项检查报告", 1),
        };
        if (!string.IsNullOrWhiteSpace(request.DocumentNumber))
        {
            blocks.Add(new ReportParagraph(request.DocumentNumber.Trim()));
        }

        blocks.AddRange(
        [
            new ReportParagraph($"报送单位：{authority}\n检查期间：{period}（北京时间）\n生成时间：{Hosting.BeijingTime.Format(time.GetUtcNow().UtcDateTime)}（由 {Evidence.EvidenceFiles.Tool} 根据系统记录生成）"),
            new ReportHeading("一、检查范围"),
            new ReportParagraph(chats.Count == 0
                ? $"本期对 {checkedSources.Count} 个已登记并取得书面授权的网络来源开展监测，仅抓取公开页面，未登录任何账号。"
                : $"本期对 {checkedSources.Count} 个已登记并取得书面授权的网络来源开展监测：网站论坛 {forums.Count} 个，仅抓取公开页面，未登录任何账号；微信群、QQ群 {chats.Count} 个，由依授权在群内的工作人员导出聊天记录后导入，不抓取。"),
            new ReportTable(
                ["来源", "入口", "授权依据", "批准单位", "授权有效期"],
                [.. checkedSources.SelectMany(s => s.Authorisations.Where(a => a.ValidFromUtc < end && a.ValidUntilUtc > start).DefaultIfEmpty().Select(a => (IReadOnlyList<string>)
                [
                    s.Name,
                    s.IsChat ? $"{KindName(s.Kind)} {s.ChatGroupId}（{s.ChatMember} 导出）" : string.Join("\n", Source.Lines(s.EntryUrls)),
                    a?.Basis ?? "（本期无有效授权）",
                    a?.ApprovedBy ?? "—",
                    a is null ? "—" : $"{Hosting.BeijingTime.FormatFrom(a.ValidFromUtc)} 至 {Hosting.BeijingTime.FormatUntil(a.ValidUntilUtc)}{(a.RevokedAtUtc is { } r ? "（" + Hosting.BeijingTime.Format(r) + " 撤销）" : string.Empty)}",
                ]))],
                [0.18f, 0.27f, 0.2f, 0.15f, 0.2f]),
            new ReportHeading("二、检查工作量"),
            new ReportParagraph($"本期共抓取 {runs.Values.Sum(r => r.Runs)} 次，访问页面 {runs.Values.Sum(r => r.Pages)} 个，审查帖子 {runs.Values.Sum(r => r.Posts)} 条（其中新帖 {runs.Values.Sum(r => r.NewPosts)} 条），抓取失败 {runs.Values.Sum(r => r.Failures)} 次。"),
            new ReportTable(
                ["来源", "抓取次数", "页面", "审查帖子", "新帖", "失败"],
                [.. forums.Select(s => runs.GetValueOrDefault(s.Id) is { } r
                    ? (IReadOnlyList<string>)[s.Name, N(r.Runs), N(r.Pages), N(r.Posts), N(r.NewPosts), N(r.Failures)]
                    : [s.Name, "0", "0", "0", "0", "0"])],
                [0.35f, 0.13f, 0.13f, 0.13f, 0.13f, 0.13f]),
        ]);
        if (chats.Count > 0)
        {
            var imports = await ChatImportsAsync(chats, start, end, cancellationToken);
            blocks.Add(new ReportParagraph($"本期导入群聊导出文件 {imports.Values.Sum(i => i.Files)} 份，新审查群聊消息 {imports.Values.Sum(i => i.Messages)} 条。"));
            blocks.Add(new ReportTable(
                ["群聊", "类型", "群号", "导入文件", "新消息"],
                [.. chats.Select(s => (IReadOnlyList<string>)[s.Name, KindName(s.Kind), s.ChatGroupId ?? "—", N(imports[s.Id].Files), N(imports[s.Id].Messages)])],
                [0.3f, 0.14f, 0.24f, 0.16f, 0.16f]));
        }

        blocks.AddRange(
        [
            new ReportHeading("三、发现情况"),
            new ReportParagraph($"本期系统共生成告警 {alerts.Count} 条。按类别（一条告警可属多个类别）与严重程度统计如下："),
            ByCategoryAndSeverity(alerts),
            new ReportTable(
                ["来源", "告警数"],
                [.. alerts.GroupBy(a => a.SourceId).OrderByDescending(g => g.Count()).Select(g => (IReadOnlyList<string>)[names.GetValueOrDefault(g.Key, "#" + N(g.Key)), N(g.Count())])],
                [0.7f, 0.3f]),
        ]);
        if (chats.Count > 0)
        {
            var kindOf = sources.ToDictionary(s => s.Id, s => s.Kind);
            blocks.Add(new ReportParagraph("按渠道统计："));
            blocks.Add(new ReportTable(
                ["渠道", "告警数"],
                [.. SourceKinds.All.Select(k => (IReadOnlyList<string>)[KindName(k), N(alerts.Count(a => kindOf.GetValueOrDefault(a.SourceId, SourceKinds.Forum) == k))])],
                [0.7f, 0.3f]));
        }

        var confirmed = alerts.Where(a => a.Status == AlertStatus.Escalated || a.CloseReason == CloseReason.TruePositive).ToList();
        blocks.Add(new ReportHeading("四、查实案件及处置"));
        blocks.Add(new ReportParagraph(confirmed.Count == 0
            ? "本期无查实案件。"
            : $"本期查实 {confirmed.Count} 条（移交公安 {confirmed.Count(a => a.Status == AlertStatus.Escalated)} 条，核实属实并关闭 {confirmed.Count(a => a.Status == AlertStatus.Closed)} 条）："));
        if (confirmed.Count > 0)
        {
            var targets = confirmed.Select(a => Triage.AlertTriage.Target(a.Id)).ToList();
            var steps = await db.Audit.AsNoTracking().Where(e => targets.Contains(e.Target) && e.Action != AuditActions.AlertView && e.Action != AuditActions.AlertViewCapture && e.Action != AuditActions.AlertRaise)
                .OrderBy(e => e.Sequence).ToListAsync(cancellationToken);
            blocks.Add(new ReportTable(
                ["告警", "来源", "标题", "类别", "处置经过"],
                [.. confirmed.Select(a => (IReadOnlyList<string>)
                [
                    "#" + N(a.Id),
                    names.GetValueOrDefault(a.SourceId, "—"),
                    a.Title,
                    Messages.Names.Categories(a.Categories),
                    string.Join("\n", steps.Where(e => e.Target == Triage.AlertTriage.Target(a.Id)).Select(Step)),
                ])],
                [0.08f, 0.15f, 0.3f, 0.14f, 0.33f]));
        }

        var open = await db.Alerts.AsNoTracking().Where(a => a.Status != AlertStatus.Closed && a.Status != AlertStatus.Escalated && a.CreatedAtUtc < end).OrderByDescending(a => a.Severity).ThenBy(a => a.Id).ToListAsync(cancellationToken);
        blocks.Add(new ReportHeading("五、未结事项"));
        blocks.Add(new ReportParagraph(open.Count == 0
            ? "截至本期末，无未处理完毕的告警。"
            : $"截至本期末，尚有 {open.Count} 条告警未处理完毕（{string.Join("，", open.GroupBy(a => a.Severity).OrderByDescending(g => g.Key).Select(g => $"{Messages.Names.Severity(g.Key)} {g.Count()} 条"))}）；其中严重和高危的前 50 条如下："));
        var urgent = open.Where(a => a.Severity >= (int)Severity.High).Take(50).ToList();
        if (urgent.Count > 0)
        {
            blocks.Add(new ReportTable(
                ["告警", "生成时间", "严重程度", "状态", "负责人", "标题"],
                [.. urgent.Select(a => (IReadOnlyList<string>)["#" + N(a.Id), Hosting.BeijingTime.Format(a.CreatedAtUtc), Messages.Names.Severity(a.Severity), Messages.Names.Status(a.Status), a.Assignee ?? "未指派", a.Title])],
                [0.08f, 0.2f, 0.1f, 0.1f, 0.12f, 0.4f]));
        }

        blocks.Add(new ReportHeading("六、结论与下一步工作"));
        var exams = await db.ExamSlots.AsNoTracking().Where(e => e.EndsAtUtc > end).OrderBy(e => e.StartsAtUtc).Take(1).ToListAsync(cancellationToken);
        blocks.Add(new ReportParagraph(Conclusions(checkedSources, runs.Values.Sum(r => r.Posts), runs.Values.Sum(r => r.Failures), alerts, confirmed, open, names, end, exams.FirstOrDefault())));
        if (!string.IsNullOrWhiteSpace(request.Conclusions))
        {
            blocks.Add(new ReportParagraph("报送单位意见：\n" + request.Conclusions.Trim()));
        }

        blocks.Add(new ReportHeading("七、报送"));
        blocks.Add(new ReportParagraph("填报人：______________　　审核人：______________　　单位负责人：______________\n\n（单位盖章）　　　　　　　　　　　　日期：______________"));
        return new ReportDocument($"专项检查报告 {period}", blocks);
    }

    /// <summary>Per group chat, the exports imported in the period (audited imports) and the messages new to the store.</summary>
    private async Task<Dictionary<int, (int Files, int Messages)>> ChatImportsAsync(List<Source> chats, DateTime start, DateTime end, CancellationToken cancellationToken)
    {
        var targets = chats.Select(s => "source:" + s.Name).ToList();
        var files = await db.Audit.AsNoTracking().Where(e => e.Action == AuditActions.ChatImport && targets.Contains(e.Target) && e.AtUtc >= start && e.AtUtc < end)
            .GroupBy(e => e.Target).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var ids = chats.Select(s => s.Id).ToList();
        var messages = await db.Posts.AsNoTracking().Where(p => ids.Contains(p.SourceId) && p.FetchedAtUtc >= start && p.FetchedAtUtc < end)
            .GroupBy(p => p.SourceId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return chats.ToDictionary(s => s.Id, s => (files.GetValueOrDefault("source:" + s.Name), messages.GetValueOrDefault(s.Id)));
    }

    private static string KindName(string kind) => kind == SourceKinds.Forum ? "网站论坛" : Messages.Names.SourceKind(kind);

    private static ReportTable ByCategoryAndSeverity(List<Alert> alerts)
    {
        int[] severities = [(int)Severity.Critical, (int)Severity.High, (int)Severity.Medium];
        var rows = Category.TermFamilies.Select(c =>
        {
            var inCategory = alerts.Where(a => a.Categories.Split(',').Contains(c)).ToList();
            return (IReadOnlyList<string>)[Messages.Names.Category(c), .. severities.Select(s => N(inCategory.Count(a => a.Severity == s))), N(inCategory.Count)];
        }).ToList();
        rows.Add(["合计", .. severities.Select(s => N(alerts.Count(a => a.Severity == s))), N(alerts.Count)]);
        return new ReportTable(["类别", .. severities.Select(Messages.Names.Severity), "合计"], rows, [0.32f, 0.17f, 0.17f, 0.17f, 0.17f]);
    }

    /// <summary>
    /// What the period comes to, from the figures above: what was examined and found, where the alerts concentrate, what
    /// is still open, crawl failures to look into, authorisations about to lapse, and the next paper in the calendar.
    /// </summary>
    private static string Conclusions(List<Source> sources, long posts, long failures, List<Alert> alerts, List<Alert> confirmed, List<Alert> open, Dictionary<int, string> names, DateTime end, ExamSlot? next)
    {
        var lines = new List<string>
        {
            alerts.Count == 0
                ? $"1. 本期对 {sources.Count} 个来源开展监测，审查帖子 {N(posts)} 条，未发现涉考有害信息。"
                : $"1. 本期对 {sources.Count} 个来源开展监测，审查帖子 {N(posts)} 条，生成告警 {N(alerts.Count)} 条，查实 {N(confirmed.Count)} 条，其中移交公安 {N(confirmed.Count(a => a.Status == AlertStatus.Escalated))} 条。",
        };
        if (alerts.Count > 0)
        {
            var byCategory = Category.TermFamilies.Select(c => (Name: Messages.Names.Category(c), Count: alerts.Count(a => a.Categories.Split(',').Contains(c))))
                .Where(c => c.Count > 0).OrderByDescending(c => c.Count).Take(2).Select(c => $"{c.Name}（{N(c.Count)} 条）");
            var top = alerts.GroupBy(a => a.SourceId).OrderByDescending(g => g.Count()).First();
            lines.Add($"2. 告警主要集中在{string.Join("、", byCategory)}；告警最多的来源是{names.GetValueOrDefault(top.Key, "#" + N(top.Key))}（{N(top.Count())} 条）。");
        }

        var critical = open.Count(a => a.Severity == (int)Severity.Critical);
        lines.Add(open.Count == 0
            ? $"{lines.Count + 1}. 截至本期末，全部告警均已处理完毕。"
            : $"{lines.Count + 1}. 截至本期末尚有 {N(open.Count)} 条告警未处理完毕{(critical > 0 ? $"（其中严重 {N(critical)} 条）" : string.Empty)}，须指定专人限期核查处置。");
        if (failures > 0)
        {
            lines.Add($"{lines.Count + 1}. 本期抓取失败 {N(failures)} 次，须检查有关来源能否正常访问。");
        }

        var lapsing = sources
            .Select(s => (s.Name, Until: s.Authorisations.Where(a => a.RevokedAtUtc is null && a.ValidFromUtc < end && a.ValidUntilUtc >= end).Select(a => (DateTime?)a.ValidUntilUtc).Max()))
            .Where(s => s.Until is { } until && until < end.AddDays(30))
            .Select(s => $"{s.Name}（{Hosting.BeijingTime.FormatUntil(s.Until!.Value)} 到期）")
            .ToList();
        if (lapsing.Count > 0)
        {
            lines.Add($"{lines.Count + 1}. 以下来源的授权将在 30 日内到期，须及时续办：{string.Join("、", lapsing)}。");
        }

        if (next is not null)
        {
            lines.Add($"{lines.Count + 1}. 下一场考试为 {next.Exam} {next.Subject}（{Hosting.BeijingTime.Format(next.StartsAtUtc)} 开考），考前和考试期间须加密监测、及时处置。");
        }

        return string.Join("\n", lines);
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One step of how an alert was handled, for 处置经过: who did what when, with what decides it — the close reason, the
    /// receiving unit and receipt number, the note's words.
    /// </summary>
    private static string Step(AuditEntry entry)
    {
        var said = $"{Hosting.BeijingTime.Format(entry.AtUtc)} {entry.Actor} {Messages.Names.Action(entry.Action)}";
        var telling = entry.Action is AuditActions.AlertClose or AuditActions.AlertEscalate or AuditActions.AlertReceipt or AuditActions.AlertNote;
        return telling && !string.IsNullOrWhiteSpace(entry.Detail) ? said + "：" + Messages.Names.AuditDetail(entry.Action, entry.Detail) : said;
    }
}

/// <summary>
/// What a special-check report is asked for: the Beijing days it covers (inclusive), the reporting authority (报送单位),
/// the optional document number (文号, e.g. 某教考〔2026〕12号) and the authority's own conclusions, printed after the
/// generated ones.
/// </summary>
public sealed record SpecialCheckRequest(DateOnly From, DateOnly To, string Authority, string? DocumentNumber = null, string? Conclusions = null);
