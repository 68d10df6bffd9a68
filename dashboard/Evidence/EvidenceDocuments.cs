using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>The JSON documents of a package: one per post (text and every fact about its capture) and the custody log.</summary>
public static class EvidenceDocuments
{
    /// <summary>The access mode of every capture: the crawler never signs in.</summary>
    public const string AccessMode = "public page, fetched without signing in to any account (公开页面，未登录任何账号)";

    /// <summary>How a group chat's message was obtained, as its evidence says.</summary>
    public const string ExportAccessMode = "exported from the group's history by a member under the source's written authorisation, then imported (群成员依授权导出的聊天记录，非公开网页)";

    /// <summary>The post document of one alert.</summary>
    public static byte[] Post(EvidenceItem item, JsonObject? chat = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var (post, alert, source) = (item.Post, item.Alert, item.Source);
        // A chat export is kept as a resource record: the file itself, with no HTTP exchange around it.
        var isExport = item.Response is { Type: "resource" };
        var (head, _) = item.Response is { Type: "response" } response ? WarcReader.SplitHttp(response.Block) : (string.Empty, ReadOnlyMemory<byte>.Empty);
        var headLines = head.Split("\r\n");
        var document = new JsonObject
        {
            ["alert"] = new JsonObject
            {
                ["id"] = alert.Id,
                ["severity"] = ((Indexer.Detection.Severity)alert.Severity).ToString().ToLowerInvariant(),
                ["score"] = alert.Score,
                ["categories"] = alert.Categories,
                ["status"] = alert.Status,
                ["closeReason"] = alert.CloseReason,
                ["raisedUtc"] = Utc(alert.CreatedAtUtc),
                ["raisedBeijing"] = Hosting.BeijingTime.Format(alert.CreatedAtUtc),
            },
            ["post"] = new JsonObject
            {
                ["id"] = post.Id,
                ["url"] = post.Url,
                ["resolvedIp"] = item.Response?.Field("WARC-IP-Address"),
                ["path"] = new JsonObject
                {
                    ["source"] = source.Name,
                    ["board"] = new JsonArray([.. Source.Lines(source.EntryUrls).Select(u => (JsonNode)u)]),
                    ["thread"] = new JsonObject { ["id"] = post.ThreadId, ["title"] = post.ThreadTitle },
                    ["floor"] = post.Floor,
                    ["forumPostId"] = post.ForumPostId,
                },
                ["author"] = post.Author,
                ["authorId"] = post.AuthorId,
                ["postedUtc"] = post.PostedAtUtc is { } posted ? Utc(posted) : null,
                ["postedBeijing"] = post.PostedAtUtc is { } p ? Hosting.BeijingTime.Format(p) : null,
                ["text"] = post.Text,
            },
            ["fetch"] = new JsonObject
            {
                ["fetchedUtc"] = Utc(post.FetchedAtUtc),
                ["fetchedBeijing"] = Hosting.BeijingTime.Format(post.FetchedAtUtc),
                ["tool"] = item.Response?.Field("WARC-Software") ?? EvidenceFiles.Tool,
                ["accessMode"] = isExport ? ExportAccessMode : AccessMode,
                ["statusLine"] = isExport ? null : headLines.FirstOrDefault(),
                ["responseHeaders"] = new JsonArray([.. headLines.Skip(1).Where(l => l.Length > 0).Select(l => (JsonNode)l)]),
                ["requestHead"] = item.Request is { } request ? Encoding.UTF8.GetString(request.Block.Span).TrimEnd() : null,
                ["tls"] = item.Response?.Field(TlsFields.Sha256) is null ? null : new JsonObject
                {
                    ["protocol"] = item.Response.Field(TlsFields.Protocol),
                    ["certificateSha256"] = item.Response.Field(TlsFields.Sha256),
                    ["subject"] = item.Response.Field(TlsFields.Subject),
                    ["issuer"] = item.Response.Field(TlsFields.Issuer),
                    ["validity"] = item.Response.Field(TlsFields.Validity),
                    ["certificateDerBase64"] = item.Response.Field(TlsFields.Certificate),
                },
            },
            ["capture"] = new JsonObject
            {
                ["warcFile"] = EvidenceFiles.Warc,
                ["originalWarcFile"] = post.WarcFile,
                ["responseRecordId"] = post.WarcRecordId,
                ["requestRecordId"] = item.Request?.RecordId,
                ["payloadSha256"] = post.CaptureSha256,
                ["blockDigest"] = item.Response?.Field("WARC-Block-Digest"),
                ["payloadDigest"] = item.Response?.Field("WARC-Payload-Digest"),
                ["problem"] = item.CaptureError,
            },
            ["detection"] = JsonNode.Parse(post.DetectionJson),
            ["source"] = new JsonObject
            {
                ["name"] = source.Name,
                ["authorisations"] = new JsonArray([.. source.Authorisations.Select(a => (JsonNode)new JsonObject
                {
                    ["basis"] = a.Basis,
                    ["approvedBy"] = a.ApprovedBy,
                    ["scope"] = a.ScopeNote,
                    ["validFromUtc"] = Utc(a.ValidFromUtc),
                    ["validUntilUtc"] = Utc(a.ValidUntilUtc),
                    ["revokedUtc"] = a.RevokedAtUtc is { } r ? Utc(r) : null,
                })]),
            },
            ["notes"] = new JsonArray([.. item.Notes.Select(n => (JsonNode)new JsonObject { ["author"] = n.Author, ["atUtc"] = Utc(n.AtUtc), ["text"] = n.Text })]),
        };
        if (chat is not null)
        {
            document["chat"] = chat;
        }

        return JsonSerializer.SerializeToUtf8Bytes(document, EvidenceManifest.Json);
    }

    /// <summary>The custody log: every audit entry about the alerts, with its place and hashes in the audit chain.</summary>
    public static byte[] Custody(EvidenceCase evidence, AuditHead? head)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var document = new JsonObject
        {
            ["case"] = evidence.CaseId,
            ["note"] = "本文件为审计日志中与这些告警有关的全部查看、导出和处置记录。每条记录的哈希值是对其各字段和上一条记录哈希值计算的 SHA-256；在本系统上运行 examnetwatch audit verify 可校验整条哈希链。action 为操作代码，actionName 与 detailText 为其中文说明（不参与哈希）。",
            ["auditHead"] = head is null ? null : new JsonObject { ["sequence"] = head.Sequence, ["hash"] = head.Hash },
            ["entries"] = new JsonArray([.. evidence.Custody.Select(e => (JsonNode)new JsonObject
            {
                ["sequence"] = e.Sequence,
                ["atUtc"] = e.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
                ["atBeijing"] = Hosting.BeijingTime.Format(e.AtUtc),
                ["actor"] = e.Actor,
                ["action"] = e.Action,
                ["target"] = e.Target,
                ["detail"] = e.Detail,
                ["actionName"] = Messages.Names.Action(e.Action),
                ["detailText"] = Messages.Names.AuditDetail(e.Action, e.Detail),
                ["remoteAddress"] = e.RemoteAddress,
                ["previousHash"] = e.PreviousHash,
                ["hash"] = e.Hash,
            })]),
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, EvidenceManifest.Json);
    }

    /// <summary>Reads a custody entry back (for verification of its hash).</summary>
    public static AuditEntry ReadCustodyEntry(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new AuditEntry
        {
            Sequence = node["sequence"]?.GetValue<long>(),
            AtUtc = DateTime.ParseExact(Required(node, "atUtc"), "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            Actor = Required(node, "actor"),
            Action = Required(node, "action"),
            Target = Required(node, "target"),
            Detail = node["detail"]?.GetValue<string>(),
            RemoteAddress = node["remoteAddress"]?.GetValue<string>(),
            PreviousHash = node["previousHash"]?.GetValue<string>(),
            Hash = node["hash"]?.GetValue<string>(),
        };
    }

    private static string Required(JsonNode node, string name) =>
        node[name]?.GetValue<string>() ?? throw new FormatException($"a custody entry has no '{name}'");

    private static string Utc(DateTime value) =>
        DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
