using System.Globalization;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Rendering;

/// <summary>The Chinese labels the UI shows for codes stored in the database.</summary>
public static partial class Labels
{
    public static string Severity(int severity) => Localization.UiText.Get(Messages.Names.Severity(severity));

    public static string SeverityCss(int severity) => "sev sev-" + ((Indexer.Detection.Severity)severity).Name();

    public static string Status(string status) => Localization.UiText.Get(Messages.Names.Status(status));

    public static string CloseReason(string? reason) => Localization.UiText.Get(Messages.Names.CloseReason(reason));

    public static string Category(string category) => Localization.UiText.Get(Messages.Names.Category(category));

    /// <summary>Names the categories of an alert, joined as the reader's language joins a list (、 in Chinese, a comma in English).</summary>
    public static string Categories(string commaSeparated) => Messages.Names.Categories(commaSeparated, Category, ListSeparator);

    /// <summary>Gets the separator of a list in the current UI language: 、 in Chinese, ", " in English.</summary>
    public static string ListSeparator => Localization.UiText.IsEnglish ? ", " : "、";

    /// <summary>Names a detection rule as staff read it.</summary>
    public static string Rule(string rule) => Localization.UiText.Get(Messages.Names.Rule(rule));

    /// <summary>The Chinese name of a concept class of concepts.tsv.</summary>
    public static string Concept(string conceptClass) => Localization.UiText.Get(conceptClass switch
    {
        "object" => "对象（答案、试题…）",
        "exam" => "考试",
        "offer" => "出售/提供",
        "seek" => "求购/寻求",
        "price" => "价格",
        "payment" => "付款条件",
        "guarantee" => "保证（包过、准确率）",
        "contact" => "联系方式",
        "service" => "作弊服务（代考…）",
        "assist" => "帮做（须与考试同现）",
        "device" => "器材",
        "device_trait" => "器材特征（隐形、测不出）",
        "time_before" => "考前时间",
        "time_during" => "考试中",
        "transmission" => "传递答案",
        "question" => "问题",
        "report" => "报道/司法语境",
        "warning" => "提醒/反诈",
        "notice" => "通知/规定",
        "rumour" => "传言",
        "denial" => "辟谣",
        "after_exam" => "考后",
        "legit" => "正当学习资料/培训",
        "homework" => "作业",
        "plain" => "普通词（屏蔽其中的短词）",
        _ => conceptClass,
    });

    /// <summary>A named feature of the model as staff read it: 概念「对象」, 组合 sale_terms, 词条（作弊器材）, 联系方式 qq.</summary>
    public static string ModelFeature(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var colon = feature.IndexOf(':', StringComparison.Ordinal);
        var (kind, name) = colon < 0 ? (feature, string.Empty) : (feature[..colon], feature[(colon + 1)..]);
        return kind switch
        {
            "k" => Localization.UiText.Format("概念「{0}」", Concept(name)),
            "k2" => Localization.UiText.Format("多个「{0}」", Concept(name)),
            "r" => Localization.UiText.Format("组合 {0}", name),
            "rc" => Localization.UiText.Format("组合（{0}）", Category(name)),
            "t" => Localization.UiText.Format("词条（{0}）", Category(name)),
            "c" when name == "any" => Localization.UiText.Get("有联系方式"),
            "c" => Localization.UiText.Format("联系方式 {0}", name),
            "quoted" => Localization.UiText.Get("引号内的词"),
            "open_paper" => Localization.UiText.Get("考试进行中"),
            "g" => "「" + name + "」",
            _ => feature,
        };
    }

    /// <summary>The groups of a combination ("object exam offer|price") with each class named in Chinese.</summary>
    public static string ConceptGroups(string groups) =>
        string.Join(" ＋ ", groups.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(g => string.Join(" / ", g.Split('|').Select(Concept))));

    /// <summary>Names an audit action as staff read it.</summary>
    public static string Action(string action) => Localization.UiText.Get(Messages.Names.Action(action));

    /// <summary>Names a contact kind as staff read it.</summary>
    public static string ContactKind(string kind) => Localization.UiText.Get(kind switch
    {
        "qq" => "QQ",
        "qq_group" => "QQ群",
        "wechat" => "微信",
        "phone" => "电话",
        "url" => "网址",
        "wxid" => "微信 ID",
        "email" => "邮箱",
        _ => kind,
    });

    /// <summary>Names a source status code (see <see cref="Sources.SourceStatus"/>).</summary>
    public static string SourceStatus(string code) => Localization.UiText.Get(code switch
    {
        "active" => "授权有效",
        "disabled" => "已停用",
        "not-yet-valid" => "授权未生效",
        "expired" => "授权已过期",
        "unauthorised" => "无授权",
        "revoked" => "授权已撤销",
        _ => code,
    });

    /// <summary>Names a source kind: 论坛, QQ群 or 微信群.</summary>
    public static string SourceKind(string kind) => Localization.UiText.Get(Messages.Names.SourceKind(kind));

    /// <summary>Gets the mark of a group chat's kind, or null for a forum (which needs none).</summary>
    public static string? ChatKind(string? kind) => kind is Data.SourceKinds.QqGroup or Data.SourceKinds.WeChatGroup ? SourceKind(kind) : null;

    /// <summary>Names a staff role.</summary>
    public static string Role(string role) => Localization.UiText.Get(role switch
    {
        Data.StaffRoles.Admin => "管理员",
        Data.StaffRoles.Analyst => "研判员",
        Data.StaffRoles.Viewer => "查看员",
        _ => role,
    });

    /// <summary>Names a notification target kind.</summary>
    public static string WebhookKind(string kind) => Localization.UiText.Get(kind switch
    {
        "webhook" => "通用 Webhook",
        "dingtalk" => "钉钉机器人",
        "wecom" => "企业微信机器人",
        _ => kind,
    });

    /// <summary>Gets the statistics' names of categories, severities and close reasons as staff read them.</summary>
    public static Statistics.StatisticsNames StatisticsNames { get; } = new(Category, Severity, CloseReason) { SourceKind = SourceKind };

    /// <summary>Says an audit entry's detail with its codes named in the reader's language (<see cref="Messages.Names.AuditDetail"/>).</summary>
    public static string AuditDetail(string action, string? detail) => Messages.Names.AuditDetail(action, detail, Status, Severity, CloseReason, Localization.UiText.Get, Schedule);

    /// <summary>
    /// Says a detection explanation's detail with its codes named: "device: 作弊器" as "作弊器材：作弊器",
    /// "wechat:zk2026da" as "微信 zk2026da". The model's feature list is left as the model names it.
    /// </summary>
    public static string ExplanationDetail(string rule, string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (rule == "model")
        {
            return detail;
        }

        var named = CategoryCode().Replace(detail, m => Category(m.Groups[1].Value) + "：");
        return ContactCode().Replace(named, m => ContactKind(m.Groups[1].Value) + " ");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(paper_leak|device|proxy_taker|in_exam_transmission|leak_rumour): ?")]
    private static partial System.Text.RegularExpressions.Regex CategoryCode();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(qq_group|qq|wechat|wxid|phone|url|email):(?=\S)")]
    private static partial System.Text.RegularExpressions.Regex ContactCode();

    /// <summary>Names a forum profile as staff read it (自动识别, Discuz! 论坛…).</summary>
    public static string Profile(string? profile) => Localization.UiText.Get(Messages.Names.Profile(profile));

    /// <summary>The crawl schedules offered on the source form, as cron (what Hangfire reads) and what staff read.</summary>
    public static IReadOnlyList<string> SchedulePresets { get; } =
        ["0 */5 * * * *", "0 */10 * * * *", "0 */15 * * * *", "0 */30 * * * *", "0 0 * * * *", "0 0 */2 * * *", "0 0 */6 * * *", "0 0 0 * * *"];

    /// <summary>
    /// Says a crawl schedule in words (每 15 分钟, 每 2 小时, 每天 08:30) for the cron patterns people use; anything else
    /// as 自定义 with the expression itself.
    /// </summary>
    public static string Schedule(string? cron)
    {
        var fields = (cron ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 5)
        {
            fields = ["0", .. fields];
        }

        if (fields.Length == 6 && fields[3] == "*" && fields[4] == "*" && fields[5] == "*")
        {
            var (second, minute, hour) = (fields[0], fields[1], fields[2]);
            if (second.StartsWith("*/", StringComparison.Ordinal) && minute == "*" && hour == "*" && Every(second) is { } s)
            {
                return Localization.UiText.Format("每 {0} 秒", s);
            }

            if (second == "0" && hour == "*" && (minute == "*" || Every(minute) == 1))
            {
                return Localization.UiText.Get("每分钟");
            }

            if (second == "0" && hour == "*" && Every(minute) is { } m)
            {
                return Localization.UiText.Format("每 {0} 分钟", m);
            }

            if (second == "0" && At(minute) is { } atMinute && (hour == "*" || Every(hour) == 1))
            {
                return atMinute == 0 ? Localization.UiText.Get("每小时") : Localization.UiText.Format("每小时第 {0} 分", atMinute);
            }

            if (second == "0" && At(minute) is { } onMinute && Every(hour) is { } h)
            {
                return onMinute == 0 ? Localization.UiText.Format("每 {0} 小时", h) : Localization.UiText.Format("每 {0} 小时（第 {1} 分）", h, onMinute);
            }

            if (second == "0" && At(minute) is { } dayMinute && At(hour) is { } dayHour && dayHour < 24)
            {
                return Localization.UiText.Format("每天 {0}", $"{dayHour:00}:{dayMinute:00}");
            }
        }

        return Localization.UiText.Format("自定义：{0}", cron ?? string.Empty);

        static int? Every(string field) =>
            field.StartsWith("*/", StringComparison.Ordinal) && int.TryParse(field.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

        static int? At(string field) =>
            int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 60 ? n : null;
    }

    /// <summary>Formats a UTC time as Beijing time, which is what staff read.</summary>
    public static string BeijingTime(DateTime utc) => Hosting.BeijingTime.Format(utc);

    /// <summary>A Beijing time short enough for a table cell: <c>06-20 09:05</c> (the year is in the cell's title).</summary>
    public static string ShortTime(DateTime utc) =>
        (DateTime.SpecifyKind(utc, DateTimeKind.Utc) + Hosting.BeijingTime.Offset).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>How long ago something happened, for triage: 刚刚, 25 分钟前, 3 小时前, 2 天前.</summary>
    public static string Age(TimeSpan ago) =>
        ago < TimeSpan.FromMinutes(1) ? Localization.UiText.Get("刚刚")
        : ago < TimeSpan.FromHours(1) ? Localization.UiText.Format("{0} 分钟前", (int)ago.TotalMinutes)
        : ago < TimeSpan.FromDays(2) ? Localization.UiText.Format("{0} 小时前", (int)ago.TotalHours)
        : Localization.UiText.Format("{0} 天前", (int)ago.TotalDays);

    /// <summary>A countdown to an exam paper: <c>14 小时 32 分</c>, or <c>2 天 3 小时</c> when more than a day away.</summary>
    public static string Countdown(TimeSpan left)
    {
        var minutes = Math.Max(0, (int)left.TotalMinutes);
        return minutes >= 1440
            ? Localization.UiText.Format("{0} 天 {1} 小时", minutes / 1440, minutes % 1440 / 60)
            : Localization.UiText.Format("{0} 小时 {1} 分", minutes / 60, minutes % 60);
    }

    /// <summary>A duration for people: 约 2 小时 5 分, 约 12 分钟, 不到 1 分钟.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalMinutes < 1 ? Localization.UiText.Get("不到 1 分钟")
        : span.TotalHours < 1 ? Localization.UiText.Format("约 {0} 分钟", (int)Math.Ceiling(span.TotalMinutes))
        : Localization.UiText.Format("约 {0} 小时 {1} 分", (int)span.TotalHours, span.Minutes);
}
