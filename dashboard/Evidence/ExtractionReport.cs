using System.Globalization;
using System.Runtime.InteropServices;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>A step of the extraction as the report's step log lists it.</summary>
public sealed record ExtractionStep(DateTime AtUtc, string Text);

/// <summary>
/// The extraction record (电子数据提取笔录) of a package as a PDF with searchable Chinese text: the case and target,
/// what was taken, start and end (Beijing time, clock source), place, method and tool versions, access mode, step log,
/// the inventory (电子数据清单) with SHA-256, each alert's source location, detection explanation and triage history,
/// how to check the copy later, and signature lines for the operator and a witness.
/// </summary>
public static class ExtractionReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(Stream output, EvidenceCase evidence, IReadOnlyList<PackageFile> inventory, IReadOnlyList<ExtractionStep> steps, string renderer, DateTime endedUtc, IReadOnlyDictionary<long, (ChatEvidence? Evidence, string? Problem)>? chats = null, EvidenceOptions? settings = null, IReadOnlyDictionary<long, byte[]>? screenshots = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(steps);
        using var pdf = new PdfWriter(output, $"电子数据提取笔录 {evidence.CaseId}", $"ExamNetWatch 电子数据提取笔录 {evidence.CaseId}", endedUtc);
        var alerts = evidence.Items.Select(i => i.Alert.Id).ToList();
        pdf.Heading("电子数据提取笔录", 18);
        pdf.Fields(
        [
            ("案件/告警编号", $"{evidence.CaseId}（告警 {string.Join("、", alerts.Select(a => "#" + a.ToString(CultureInfo.InvariantCulture)))}）"),
            ("提取对象", string.Join("；", evidence.Items.Select(Subject).Distinct())),
            ("提取内容", Contents(evidence)),
            ("提取开始", $"{Hosting.BeijingTime.Format(evidence.StartedUtc)}（北京时间）/ {Utc(evidence.StartedUtc)}"),
            ("提取结束", $"{Hosting.BeijingTime.Format(endedUtc)}（北京时间）/ {Utc(endedUtc)}"),
            ("时间来源", $"主机 {Environment.MachineName} 的系统时钟（UTC，换算为北京时间 UTC+8）"),
            ("提取单位", Setting(settings?.Unit)),
            ("提取地点", Setting(settings?.Place) + $"（ExamNetWatch 系统主机 {Environment.MachineName}）"),
            ("提取方法", Method(evidence)),
            ("工具与版本", $"{EvidenceFiles.Tool}；.NET {Environment.Version}；{RuntimeInformation.OSDescription}"),
            ("截图工具", evidence.Items.All(IsChat) ? "不适用（群聊消息来自导出文件，没有网页可截图）" : renderer),
            ("访问方式", evidence.Items.Any(IsChat)
                ? (evidence.Items.All(IsChat) ? string.Empty : "网页帖子抓取时为公开页面访问，未登录任何账号；") + "群聊消息来自依授权在群内的工作人员导出的聊天记录文件（非公开网页），导入时原文件按字节保存"
                : "抓取时为公开页面访问，未登录任何账号"),
            ("提取人", evidence.Operator),
        ]);

        pdf.Heading("授权依据");
        foreach (var source in evidence.Items.Select(i => i.Source).DistinctBy(s => s.Id))
        {
            pdf.Paragraph($"{source.Name}：" + string.Join("；", source.Authorisations.Select(a =>
                $"{a.Basis}（{a.ApprovedBy}，{Hosting.BeijingTime.FormatFrom(a.ValidFromUtc)} 至 {Hosting.BeijingTime.FormatUntil(a.ValidUntilUtc)}{(a.RevokedAtUtc is { } r ? "，已于 " + Hosting.BeijingTime.Format(r) + " 撤销" : string.Empty)}）")));
        }

        pdf.Heading("提取步骤");
        pdf.Table(["时间（北京时间）", "步骤"], steps.Select(s => (IReadOnlyList<string>)[Hosting.BeijingTime.Format(s.AtUtc), s.Text]), [0.25f, 0.75f], 9);

        pdf.Heading("电子数据清单");
        pdf.Table(
            ["序号", "文件名", "类型", "来源", "提取方法"],
            inventory.Select((f, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), f.Name, f.Type, f.Source, f.Method]),
            [0.07f, 0.23f, 0.17f, 0.3f, 0.23f],
            8,
            i => $"哈希值（SHA-256）：{inventory[i].Sha256}　大小：{inventory[i].Bytes.ToString(CultureInfo.InvariantCulture)} 字节");
        pdf.Paragraph("哈希算法：SHA-256。本笔录（report.pdf）自身的 SHA-256 记录在 manifest.json 中；manifest.json 可附 RFC 3161 可信时间戳（manifest.json.tsr）。", 9);

        foreach (var item in evidence.Items)
        {
            WriteAlert(pdf, item, evidence, chats?.GetValueOrDefault(item.Alert.Id) ?? (null, null), screenshots?.GetValueOrDefault(item.Alert.Id), inventory);
        }

        pdf.Heading("校验方法");
        pdf.Paragraph("任何人可重新计算每个文件的 SHA-256 并与上表及 manifest.json 对照；或运行 `examnetwatch evidence verify 证据包.zip`：重新计算全部哈希、WARC 记录摘要（WARC-Block-Digest / WARC-Payload-Digest）、保管链记录哈希和时间戳，全部一致时退出码为 0，否则列出不一致的文件。", 9);

        pdf.Heading("签名");
        pdf.Space(6);
        pdf.Paragraph("提取人（签名）：______________________　　日期：______________", 11);
        pdf.Space(10);
        pdf.Paragraph("见证人（签名）：______________________　　日期：______________", 11);
        pdf.Space(10);
        pdf.Paragraph("如无见证人，说明原因：____________________________________________", 11);
        pdf.Close();
    }

    /// <summary>A chat message's fields: the group, the kept file and the cut of it holding the message, its sender and time.</summary>
    private static List<(string, string)> ChatFields(EvidenceItem item, ChatEvidence? chat, string? problem)
    {
        var (alert, post, source) = (item.Alert, item.Post, item.Source);
        return
        [
            ("群聊", $"{source.Name}（{Messages.Names.SourceKind(source.Kind)} {source.ChatGroupId}，由 {source.ChatMember} 依授权导出）"),
            ("导出文件", chat is null ? "无法重新读取：" + (problem ?? item.CaptureError ?? "未知") : $"{chat.FileName}（{chat.Format}，{chat.Encoding}），SHA-256 {chat.FileSha256}"),
            ("导入", $"{item.Response?.Field(Dashboard.Chat.ChatImporter.Fields.ImportedBy) ?? "未记录"} 于 {Hosting.BeijingTime.Format(post.FetchedAtUtc)}（北京时间）导入；授权 {item.Response?.Field(Dashboard.Chat.ChatImporter.Fields.Authorisation) ?? "未记录"}；导入程序 {chat?.Importer ?? "未记录版本"}"),
            ("消息所在", chat is null ? "—" : $"导出文件第 {chat.Excerpt.FirstLine}–{chat.Excerpt.LastLine} 行（字节 {chat.Excerpt.Offset} 起，{chat.Excerpt.Bytes.Length} 字节），节选 SHA-256 {chat.Excerpt.Sha256}"),
            ("发送者", (post.Author ?? "未知") + (post.AuthorId is { } uid ? $"（{uid}）" : "（导出文件未写明账号）")),
            ("发送时间", post.PostedAtUtc is { } sent ? Hosting.BeijingTime.Format(sent) + "（北京时间）" : "未知"),
            ("WARC 记录", $"{post.WarcRecordId}（resource，导出文件原样）"),
            ("消息编号", $"{post.ForumPostId}（群号、发送者、发送时间与文字的 SHA-256）"),
            ("严重程度", $"{Messages.Names.Severity(alert.Severity)}（评分 {alert.Score.ToString("0.00", CultureInfo.InvariantCulture)}），{Messages.Names.Categories(alert.Categories)}；命中词：{alert.MatchedTerms}"),
            ("当前状态", Messages.Names.Status(alert.Status) + (alert.CloseReason is null ? string.Empty : "（" + Messages.Names.CloseReason(alert.CloseReason) + "）")),
        ];
    }

    private static bool IsChat(EvidenceItem item) => item.Response is { Type: "resource" };

    /// <summary>What was extracted from: a forum post by its path, a chat message by its group, sender and time.</summary>
    private static string Subject(EvidenceItem i) => IsChat(i)
        ? $"{i.Source.Name}（{Messages.Names.SourceKind(i.Source.Kind)} {i.Source.ChatGroupId}）› {i.Post.Author ?? "未知"} {(i.Post.PostedAtUtc is { } sent ? Hosting.BeijingTime.Format(sent) : "时间未知")} 的消息"
        : $"{i.Source.Name} › {i.Post.ThreadTitle}（主题 {i.Post.ThreadId}）› {(i.Post.Floor is { } f ? f + " 楼" : "楼层未知")}，作者 {i.Post.Author ?? "未知"}";

    private static string Method(EvidenceCase evidence)
    {
        var parts = new List<string>();
        if (!evidence.Items.All(IsChat))
        {
            parts.Add("从本系统的采集存储中原样复制抓取时保存的 WARC 记录（不重新访问网站），导出帖子文字和元数据，用无头浏览器渲染保存的页面生成截图");
        }

        if (evidence.Items.Any(IsChat))
        {
            parts.Add("从本系统的采集存储中原样复制导入时保存的聊天记录导出文件（WARC resource 记录），重新读取该文件找到每条消息，按字节截取消息所在的行，导出消息文字和元数据");
        }

        return string.Join("；", parts) + "，逐个文件计算 SHA-256";
    }

    private static string Contents(EvidenceCase evidence)
    {
        var chats = evidence.Items.Count(IsChat);
        var pages = evidence.Items.Count - chats;
        var parts = new List<string>();
        if (pages > 0)
        {
            parts.Add($"{pages} 个帖子页面的 WARC 请求/响应记录、帖子文字与元数据、页面截图");
        }

        if (chats > 0)
        {
            parts.Add($"{chats} 条群聊消息所在的导出文件（WARC resource 记录）、消息所在行的原文节选、消息文字与元数据");
        }

        return string.Join("；", parts) + "、保管链记录（清单见下）";
    }

    /// <summary>A setting the record names, or a line to fill by hand when it is not set.</summary>
    private static string Setting(string? value) => string.IsNullOrWhiteSpace(value) ? "______________________（系统未设置，请手写）" : value.Trim();

    private static void WriteAlert(PdfWriter pdf, EvidenceItem item, EvidenceCase evidence, (ChatEvidence? Evidence, string? Problem) chatEvidence, byte[]? screenshot, IReadOnlyList<PackageFile> inventory)
    {
        var (alert, post) = (item.Alert, item.Post);
        pdf.Heading($"告警 #{alert.Id}：{alert.Title}", 12);
        var (chat, problem) = chatEvidence;
        pdf.Fields(IsChat(item) ? ChatFields(item, chat, problem) :
        [
            ("网址", post.Url),
            ("解析 IP", item.Response?.Field("WARC-IP-Address") ?? "未记录"),
            ("路径", $"{item.Source.Name}（{string.Join(" ", Data.Source.Lines(item.Source.EntryUrls))}）› 主题 {post.ThreadId}「{post.ThreadTitle}」› {(post.Floor is { } f ? f + " 楼" : "楼层未知")}"),
            ("作者", (post.Author ?? "未知") + (post.AuthorId is { } uid ? $"（论坛用户 ID {uid}）" : "（页面未显示用户 ID）")),
            ("发帖时间", post.PostedAtUtc is { } posted ? Hosting.BeijingTime.Format(posted) + "（北京时间）" : "未知"),
            ("抓取时间", $"{Hosting.BeijingTime.Format(post.FetchedAtUtc)}（北京时间）/ {Utc(post.FetchedAtUtc)}"),
            ("HTTP 状态", item.Response is { } r ? Crawler.Captures.WarcReader.SplitHttp(r.Block).Head.Split("\r\n")[0] : "—"),
            ("TLS 证书", Tls(item)),
            ("WARC 记录", $"{post.WarcRecordId}（响应）{(item.Request is { } q ? "，" + q.RecordId + "（请求）" : string.Empty)}"),
            ("正文 SHA-256", post.CaptureSha256),
            ("采集问题", item.CaptureError ?? "无"),
            ("严重程度", $"{Messages.Names.Severity(alert.Severity)}（评分 {alert.Score.ToString("0.00", CultureInfo.InvariantCulture)}），{Messages.Names.Categories(alert.Categories)}；命中词：{alert.MatchedTerms}"),
            ("当前状态", Messages.Names.Status(alert.Status) + (alert.CloseReason is null ? string.Empty : "（" + Messages.Names.CloseReason(alert.CloseReason) + "）")),
        ], 9, 80);
        using (var verdict = System.Text.Json.JsonDocument.Parse(post.DetectionJson))
        {
            if (verdict.RootElement.TryGetProperty("explanations", out var explanations))
            {
                pdf.Table(
                    ["检测规则", "权重", "依据"],
                    explanations.EnumerateArray().Select(e => (IReadOnlyList<string>)[Messages.Names.Rule(e.GetProperty("rule").GetString() ?? string.Empty), e.GetProperty("weight").GetDouble().ToString("+0.00;-0.00", CultureInfo.InvariantCulture), e.GetProperty("detail").GetString() ?? string.Empty]),
                    [0.2f, 0.1f, 0.7f],
                    8);
            }
        }

        var target = Triage.AlertTriage.Target(alert.Id);
        pdf.Table(
            ["时间（北京时间）", "操作人", "操作", "说明"],
            evidence.Custody.Where(e => e.Target == target).Select(e => (IReadOnlyList<string>)[Hosting.BeijingTime.Format(e.AtUtc), e.Actor, Messages.Names.Action(e.Action), Messages.Names.AuditDetail(e.Action, e.Detail)]),
            [0.22f, 0.15f, 0.15f, 0.48f],
            8);
        pdf.Paragraph(IsChat(item) ? "消息文字：" : "帖子文字：", 9);
        pdf.Paragraph(post.Text.Length > 4000 ? post.Text[..4000] + "……（全文见 " + EvidenceFiles.Post(alert.Id) + "）" : post.Text, 9, 12);
        if (screenshot is not null)
        {
            var name = EvidenceFiles.Screenshot(alert.Id);
            var hash = inventory.FirstOrDefault(f => f.Name == name)?.Sha256;
            pdf.Paragraph($"页面截图（{name}，SHA-256 {hash}，由保存的页面渲染，未重新访问网站）：", 9);
            if (!pdf.Image(screenshot))
            {
                pdf.Paragraph($"（截图较长，此处只印前 3 页；完整截图见 {name}）", 9);
            }
        }
    }

    private static string Tls(EvidenceItem item) =>
        item.Response?.Field(Crawler.Captures.TlsFields.Sha256) is { } sha256
            ? $"{item.Response.Field(Crawler.Captures.TlsFields.Subject)}，颁发者 {item.Response.Field(Crawler.Captures.TlsFields.Issuer)}，有效期 {item.Response.Field(Crawler.Captures.TlsFields.Validity)}，{item.Response.Field(Crawler.Captures.TlsFields.Protocol)}，证书 SHA-256 {sha256}（完整证书见帖子 JSON）"
            : new Uri(item.Post.Url).Scheme == Uri.UriSchemeHttps ? "未记录" : "明文 HTTP，无 TLS";

    private static string Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
