namespace ExamNetWatch.Dashboard.Messages;

/// <summary>
/// The names of the domain's codes in Chinese — severities and categories — as notifications, documents and the
/// translation table's keys say them; the host's labels translate them for the English UI.
/// </summary>
public static partial class Names
{
    /// <summary>Names a severity (0–4).</summary>
    /// <summary>Names a source kind: 论坛, QQ群 or 微信群.</summary>
    public static string SourceKind(string kind) => kind switch
    {
        Data.SourceKinds.QqGroup => "QQ群",
        Data.SourceKinds.WeChatGroup => "微信群",
        _ => "论坛",
    };

    public static string Severity(int severity) => (Indexer.Detection.Severity)severity switch
    {
        Indexer.Detection.Severity.Critical => "严重",
        Indexer.Detection.Severity.High => "高",
        Indexer.Detection.Severity.Medium => "中",
        Indexer.Detection.Severity.Low => "低",
        _ => "无",
    };

    /// <summary>Names a category code (paper_leak…), or returns an unknown one as it is.</summary>
    public static string Category(string category) => category switch
    {
        Indexer.Detection.Category.PaperLeak => "泄题/答案",
        Indexer.Detection.Category.Device => "作弊器材",
        Indexer.Detection.Category.ProxyTaker => "代考替考",
        Indexer.Detection.Category.InExamTransmission => "考中传题",
        Indexer.Detection.Category.LeakRumour => "泄题传言",
        Indexer.Detection.Category.Contact => "联系方式",
        _ => category,
    };

    /// <summary>Names the comma-separated categories of an alert, joined with 、.</summary>
    public static string Categories(string commaSeparated, Func<string, string>? name = null, string separator = "、")
    {
        ArgumentNullException.ThrowIfNull(commaSeparated);
        return string.Join(separator, commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name ?? Category));
    }

    /// <summary>Names an alert status (new, acknowledged, escalated, closed).</summary>
    public static string Status(string status) => status switch
    {
        Data.AlertStatus.New => "新告警",
        Data.AlertStatus.Acknowledged => "处理中",
        Data.AlertStatus.Escalated => "已移交公安",
        Data.AlertStatus.Closed => "已关闭",
        _ => status,
    };

    /// <summary>Names the reason an alert was closed (empty for none).</summary>
    public static string CloseReason(string? reason) => reason switch
    {
        Data.CloseReason.TruePositive => "属实",
        Data.CloseReason.FalsePositive => "误报",
        Data.CloseReason.Duplicate => "重复",
        Data.CloseReason.Benign => "无害",
        null => string.Empty,
        _ => reason,
    };

    /// <summary>Names a line of a verdict's explanation (term, intent, negative…).</summary>
    public static string Rule(string rule) => rule switch
    {
        "term" => "命中词",
        "more_terms" => "更多命中词",
        "intent" => "买卖意图",
        "urgency" => "考试时间相关",
        "contact" => "联系方式",
        "contact_hint" => "引流暗示",
        "negative" => "否定语境（通知/新闻/反诈）",
        "evasion" => "规避写法",
        "exam_open" => "考试进行中",
        "combination" => "概念组合",
        "hedge" => "传言语气（降低）",
        "model" => "统计模型",
        "severity" => "定级依据",
        "watch" => "关注（泄题传言）",
        _ => rule,
    };

    /// <summary>Names an audit action (<see cref="Data.AuditActions"/>).</summary>
    public static string Action(string action) => action switch
    {
        Data.AuditActions.AlertRaise => "系统生成告警",
        Data.AuditActions.AlertConfirm => "确认告警",
        Data.AuditActions.AlertDismiss => "驳回告警",
        Data.AuditActions.AlertView => "查看告警",
        Data.AuditActions.AlertTake => "认领",
        Data.AuditActions.AlertAssign => "指派",
        Data.AuditActions.AlertAcknowledge => "受理",
        Data.AuditActions.AlertEscalate => "移交公安",
        Data.AuditActions.AlertReceipt => "登记回执",
        Data.AuditActions.AlertClose => "关闭",
        Data.AuditActions.AlertReopen => "重新打开",
        Data.AuditActions.AlertNote => "备注",
        Data.AuditActions.AlertViewCapture => "查看原始快照",
        Data.AuditActions.AlertTag => "加标签",
        Data.AuditActions.AlertUntag => "移除标签",
        Data.AuditActions.SourceRegister => "登记来源",
        Data.AuditActions.SourceUpdate => "修改来源",
        Data.AuditActions.SourceDisable => "停用来源",
        Data.AuditActions.SourceEnable => "恢复来源",
        Data.AuditActions.SourceRunNow => "立即抓取",
        Data.AuditActions.SourceSweep => "扫描历史",
        Data.AuditActions.SourceUnscheduled => "暂停抓取计划",
        Data.AuditActions.SourceRobotsOverride => "忽略 robots.txt",
        Data.AuditActions.SourceAllowPrivateNetwork => "允许内网地址",
        Data.AuditActions.AuthorisationRegister => "登记授权",
        Data.AuditActions.AuthorisationRevoke => "撤销授权",
        Data.AuditActions.ChatImport => "导入聊天记录",
        Data.AuditActions.ChatImportRefused => "拒绝导入聊天记录",
        Data.AuditActions.CrawlRefused => "拒绝抓取",
        Data.AuditActions.CrawlRefusedUrl => "拒绝抓取网址",
        Data.AuditActions.CrawlRefusedUrls => "本次抓取拒绝的网址",
        Data.AuditActions.ExamAdd => "添加考试",
        Data.AuditActions.ExamRemove => "删除考试",
        Data.AuditActions.RulesAdd => "添加规则",
        Data.AuditActions.RulesRemove => "删除规则",
        Data.AuditActions.RulesImport => "导入规则",
        Data.AuditActions.SettingsNotifications => "修改通知设置",
        Data.AuditActions.SettingsNotificationsTest => "测试通知",
        Data.AuditActions.UserCreate => "创建用户",
        Data.AuditActions.UserLogin => "登录",
        Data.AuditActions.UserResetPassword => "重置密码",
        Data.AuditActions.UserLoginFailed => "登录失败",
        Data.AuditActions.UserRole => "修改角色",
        Data.AuditActions.UserEnable => "启用用户",
        Data.AuditActions.UserDisable => "停用用户",
        Data.AuditActions.UserLoginLocked => "账户锁定",
        Data.AuditActions.UserLoginStopped => "已停用账户尝试登录",
        Data.AuditActions.UserLoginThrottled => "登录尝试过多被拒",
        Data.AuditActions.RetentionPurge => "按保留期限清除",
        Data.AuditActions.RetentionCaptureDamaged => "保留清理发现原始快照损坏",
        Data.AuditActions.EvidenceExport => "导出证据包",
        Data.AuditActions.ReportSpecialCheck => "生成专项检查报告",
        _ => action,
    };

    /// <summary>
    /// Says an audit entry's detail as staff read it: the codes it was written with (state changes
    /// <c>new → acknowledged</c>, close reasons, <c>critical 0.70 post s1-t1-p1</c> for a raised alert) named.
    /// </summary>
    /// <remarks>
    /// Source registrations and changes (<c>entry … ; scope … ; profile auto</c>, <c>min-delay: 2 → 5</c>) get their
    /// fields, profiles and yes/no named; UTC times (<c>2026-11-30 16:00:00Z</c>) are said in Beijing time, a period's
    /// end as the last day it covers. <paramref name="word"/> translates the fixed words, <paramref name="schedule"/>
    /// says a cron schedule in words; both default to leaving them as they are.
    /// </remarks>
    public static string AuditDetail(string action, string? detail, Func<string, string>? status = null, Func<int, string>? severity = null, Func<string?, string>? reason = null, Func<string, string>? word = null, Func<string, string>? schedule = null)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return string.Empty;
        }

        status ??= Status;
        severity ??= Severity;
        reason ??= CloseReason;
        word ??= w => w;
        schedule ??= s => s;
        if (action == Data.AuditActions.AlertRaise && RaiseDetail().Match(detail) is { Success: true } raised
            && Enum.TryParse<Indexer.Detection.Severity>(raised.Groups[1].Value, ignoreCase: true, out var level))
        {
            return $"{severity((int)level)} {raised.Groups[2].Value} · {raised.Groups[3].Value}";
        }

        if (action is Data.AuditActions.SourceRegister or Data.AuditActions.SourceUpdate)
        {
            detail = SourceDetail(detail, word, schedule);
        }

        if (action == Data.AuditActions.SourceSweep)
        {
            detail = SweepJob().Replace(detail, m => "，" + word("任务") + " " + m.Groups[1].Value);
        }

        detail = DemoAddress().Replace(detail, _ => word("演示论坛地址") + "：");
        detail = UtcPeriod().Replace(detail, m => Hosting.BeijingTime.FormatFrom(Utc(m.Groups[1].Value)) + " 至 " + Hosting.BeijingTime.FormatUntil(Utc(m.Groups[2].Value)));
        detail = UtcTime().Replace(detail, m => Hosting.BeijingTime.Format(Utc(m.Groups[1].Value)));
        var named = StateChange().Replace(detail, m => status(m.Groups[1].Value) + " → " + status(m.Groups[2].Value));
        return ReasonCode().Replace(named, m => "（" + reason(m.Groups[1].Value) + "）");
    }

    /// <summary>Names a forum profile in Chinese (自动识别, Discuz! 论坛…); unknown names as they are.</summary>
    public static string Profile(string? profile) => profile switch
    {
        null or "" or "auto" => "自动识别",
        "discuz" => "Discuz! 论坛",
        "phpbb" => "phpBB 论坛",
        "tieba" => "贴吧类",
        "article" => "文章/新闻页",
        _ => profile,
    };

    /// <summary>Names the fields of a source registration or change, and their coded values.</summary>
    private static string SourceDetail(string detail, Func<string, string> word, Func<string, string> schedule)
    {
        if (ChatRegistration().Match(detail) is { Success: true } chat)
        {
            return $"{word(SourceKind(chat.Groups[1].Value))} {chat.Groups[2].Value}；{word("导出人")} {chat.Groups[3].Value}";
        }

        return string.Join("；", detail.Split("; ").Select(part =>
        {
            var m = SourceField().Match(part);
            if (!m.Success)
            {
                return part;
            }

            var value = m.Groups[3].Value;
            var (name, said) = m.Groups[1].Value switch
            {
                "entry" => ("入口", value),
                "scope" => ("范围", value),
                "profile" => ("论坛类型", Sides(value, v => word(Profile(v)))),
                "schedule" => ("抓取计划", Sides(value, schedule)),
                "min-delay" => ("最小间隔（秒）", value),
                "exam-critical" => ("考试期间重点监测", Sides(value, v => YesNo(v, word))),
                "allow-private-network" => ("允许内网地址", Sides(value, v => YesNo(v, word))),
                _ => ("不遵守 robots.txt 的理由", value),
            };
            return word(name) + (m.Groups[2].Success ? "：" : " ") + said;
        }));
    }

    /// <summary>Applies <paramref name="name"/> to each side of "was → now" (— stays —).</summary>
    private static string Sides(string value, Func<string, string> name) =>
        string.Join(" → ", value.Split(" → ").Select(v => v == "—" ? v : name(v)));

    private static string YesNo(string value, Func<string, string> word) => value switch
    {
        "True" => word("是"),
        "False" => word("否"),
        _ => value,
    };

    private static DateTime Utc(string value) =>
        DateTime.ParseExact(value, "yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(entry|scope|profile|schedule|min-delay|exam-critical|allow-private-network|ignore-robots)(:)? (.*)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex SourceField();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(qq-group|wechat-group) (\S+); exported by (.+)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ChatRegistration();

    [System.Text.RegularExpressions.GeneratedRegex(@"，job (\S+)$")]
    private static partial System.Text.RegularExpressions.Regex SweepJob();

    [System.Text.RegularExpressions.GeneratedRegex(@"^demo forum address: ")]
    private static partial System.Text.RegularExpressions.Regex DemoAddress();

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z – (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z")]
    private static partial System.Text.RegularExpressions.Regex UtcPeriod();

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z")]
    private static partial System.Text.RegularExpressions.Regex UtcTime();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(none|low|medium|high|critical) (\d+\.\d+) post (\S+)$")]
    private static partial System.Text.RegularExpressions.Regex RaiseDetail();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(new|acknowledged|escalated|closed) → (new|acknowledged|escalated|closed)\b")]
    private static partial System.Text.RegularExpressions.Regex StateChange();

    [System.Text.RegularExpressions.GeneratedRegex(@"（(true_positive|false_positive|duplicate|benign)）")]
    private static partial System.Text.RegularExpressions.Regex ReasonCode();
}
