using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Chat;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Chat;

/// <summary>What one import did.</summary>
/// <param name="Format">The export format read.</param>
/// <param name="Sha256">The SHA-256 of the export file as received.</param>
/// <param name="Read">Messages read from the file.</param>
/// <param name="New">Messages stored for the first time.</param>
/// <param name="Known">Messages already stored by an earlier import (the same file again, or an overlapping export).</param>
/// <param name="Skipped">System notices and empty messages left out.</param>
/// <param name="Alerts">Alerts raised.</param>
/// <param name="Capture">Where the file was kept (a WARC resource record); null when it brought nothing new.</param>
public sealed record ChatImportResult(string Format, string Sha256, int Read, int New, int Known, int Skipped, int Alerts, CaptureRef? Capture)
{
    /// <summary>Gets how many messages were left out because they were sent when no authorisation of the source covered the group (before the first one began, or in a gap).</summary>
    public int Unauthorised { get; init; }
}

/// <summary>An import refused before anything was read: no such source, not a group chat, or no authorisation in force.</summary>
public sealed class ChatImportRefusedException(string message) : InvalidOperationException(message)
{
    public ChatImportRefusedException()
        : this("the import was refused")
    {
    }

    public ChatImportRefusedException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// Imports a group chat's history that a member exported under the source's authorisation: the file is read whole
/// (any bad line refuses all of it), kept byte for byte as a WARC <c>resource</c> record with who imported it, under
/// which authorisation and its SHA-256, and each message new to the store goes through detection like a crawled post.
/// Audited, refusals too.
/// </summary>
public sealed class ChatImporter(WatchDbContext db, PostIngestor ingestor, ICaptureWriter captures, AuditLog audit, TimeProvider time)
{
    /// <summary>The header fields of the kept file's WARC record.</summary>
    public static class Fields
    {
        public const string FileName = "X-ExamNetWatch-Export-File";
        public const string Format = "X-ExamNetWatch-Export-Format";
        public const string Source = "X-ExamNetWatch-Source";
        public const string Group = "X-ExamNetWatch-Chat-Group";
        public const string ImportedBy = "X-ExamNetWatch-Imported-By";
        public const string Authorisation = "X-ExamNetWatch-Authorisation";
        public const string Importer = "X-ExamNetWatch-Importer";
    }

    /// <summary>Gets the importer as its records name it: the tool's version and the export readers' version.</summary>
    public static string ImporterName { get; } = "ExamNetWatch/" + (typeof(ChatImporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0") + " chat-reader/" + ChatExportReader.Version;

    /// <summary>Imports <paramref name="bytes"/>, the export file <paramref name="fileName"/>, into source <paramref name="sourceId"/>.</summary>
    /// <exception cref="ChatImportRefusedException">The source is not an authorised group chat now.</exception>
    /// <exception cref="ChatImportException">The file is not an export that can be read; the line is named. Nothing is stored.</exception>
    public async Task<ChatImportResult> ImportAsync(int sourceId, string fileName, byte[] bytes, string actor, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var name = Printable(Path.GetFileName(fileName ?? "export"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var source = await db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Id == sourceId, cancellationToken);
        var now = time.GetUtcNow();
        var refusal = source is null ? FormattableString.Invariant($"there is no source {sourceId}")
            : !source.IsChat ? $"source {source.Name} is a forum, crawled rather than imported"
            : SourceStatus.Of(source, now.UtcDateTime) is { IsActive: false } status ? $"source {source.Name}: {status.Reason}"
            : null;
        ChatExport export;
        try
        {
            if (refusal is not null)
            {
                throw new ChatImportRefusedException(refusal);
            }

            export = ChatExportReader.Read(bytes);
            Require(source!, export);
        }
        catch (Exception e) when (e is ChatImportRefusedException or ChatImportException)
        {
            audit.Add(db, actor, AuditActions.ChatImportRefused, "source:" + (source?.Name ?? sourceId.ToString(CultureInfo.InvariantCulture)), $"{name} sha256:{sha}: {e.Message}", remoteAddress);
            await db.SaveChangesAsync(cancellationToken);
            throw;
        }

        var group = source!.ChatGroupId!;
        // The authorisation covers watching the group from its start: history from before it (a member sees what was
        // said before they joined or were authorised) is not taken in.
        var covered = export.Messages.Where(m => Covered(source, m.SentAt.UtcDateTime)).ToList();
        var posts = covered.Select(m => (Message: m, Id: FormattableString.Invariant($"s{source.Id}-c{m.Identity(source.Kind + ":" + group)}"))).ToList();
        var ids = posts.Select(p => p.Id).ToList();
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
        {
            known.UnionWith(await db.Posts.Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(cancellationToken));
        }

        CaptureRef? capture = null;
        var authorisation = source.AuthorisationAt(now.UtcDateTime)!;
        if (posts.Any(p => !known.Contains(p.Id)))
        {
            capture = await captures.SaveResourceAsync(
                new Uri("urn:examnetwatch:chat-export:sha256:" + sha),
                ContentType(export.Format),
                bytes,
                now,
                [
                    KeyValuePair.Create(Fields.FileName, name),
                    KeyValuePair.Create(Fields.Format, export.Format + "; " + export.Encoding),
                    KeyValuePair.Create(Fields.Source, Printable(source.Name)),
                    KeyValuePair.Create(Fields.Group, Printable(source.Kind + " " + group)),
                    KeyValuePair.Create(Fields.ImportedBy, Printable(actor)),
                    KeyValuePair.Create(Fields.Authorisation, Printable($"{authorisation.Basis}（{authorisation.ApprovedBy}）")),
                    KeyValuePair.Create(Fields.Importer, ImporterName),
                ],
                cancellationToken);
        }

        var before = (ingestor.NewPosts, ingestor.NewAlerts);
        foreach (var (message, id) in posts.Where(p => !known.Contains(p.Id)))
        {
            var identity = id[(id.IndexOf("-c", StringComparison.Ordinal) + 2)..];
            await ingestor.AcceptAsync(
                new CrawledPost(
                    id,
                    source.Id,
                    group,
                    identity,
                    new Uri(FormattableString.Invariant($"chat://{source.Kind}/{Uri.EscapeDataString(group)}/{identity}?line={message.Line}")),
                    source.Name,
                    message.SenderName,
                    null,
                    message.SentAt,
                    message.Text,
                    WebUtility.HtmlEncode(message.Text).Replace("\n", "<br>", StringComparison.Ordinal),
                    now,
                    capture!)
                {
                    AuthorId = message.SenderId,
                    Chat = true,
                },
                cancellationToken);
        }

        var result = new ChatImportResult(export.Format, sha, export.Messages.Count, ingestor.NewPosts - before.NewPosts, posts.Count(p => known.Contains(p.Id)), export.Skipped, ingestor.NewAlerts - before.NewAlerts, capture)
        {
            Unauthorised = export.Messages.Count - covered.Count,
        };
        source.LastCrawlAtUtc = now.UtcDateTime;
        source.LastCrawlResult = FormattableString.Invariant($"导入 {name}：消息 {result.Read}，新消息 {result.New}，已导入过 {result.Known}，系统消息 {result.Skipped}，授权期外 {result.Unauthorised}，新告警 {result.Alerts}");
        audit.Add(
            db,
            actor,
            AuditActions.ChatImport,
            "source:" + source.Name,
            FormattableString.Invariant($"{name} sha256:{sha} {export.Format}; authorisation {authorisation.Basis}; read {result.Read}, new {result.New}, known {result.Known}, skipped {result.Skipped}, outside the authorisation {result.Unauthorised}, alerts {result.Alerts}") + (capture is null ? string.Empty : $"; kept {capture.WarcFile}@{capture.WarcOffset}"),
            remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>A QQ export goes to a QQ group, a WeChat export to a WeChat group; JSON Lines to either.</summary>
    private static void Require(Source source, ChatExport export)
    {
        var qq = export.Format is ChatExportFormats.QqText or ChatExportFormats.QqMht;
        var wechat = export.Format is ChatExportFormats.WeChatMsgCsv or ChatExportFormats.MemoTraceCsv or ChatExportFormats.PyWxDumpCsv or ChatExportFormats.WeChatMsgHtml;
        if ((qq && source.Kind != SourceKinds.QqGroup) || (wechat && source.Kind != SourceKinds.WeChatGroup))
        {
            throw new ChatImportRefusedException($"a {export.Format} export cannot go into {source.Name}, a {source.Kind} source");
        }
    }

    /// <summary>Whether an authorisation of the source (not revoked by then) covered the group at <paramref name="sentUtc"/>.</summary>
    private static bool Covered(Source source, DateTime sentUtc) =>
        source.Authorisations.Any(a => a.ValidFromUtc <= sentUtc && sentUtc < a.ValidUntilUtc && (a.RevokedAtUtc is null || sentUtc < a.RevokedAtUtc));

    /// <summary>The media type of a kept export, by its format.</summary>
    private static string ContentType(string format) => format switch
    {
        ChatExportFormats.JsonLines => "application/jsonl",
        ChatExportFormats.QqMht => "multipart/related",
        _ when format.EndsWith("csv", StringComparison.Ordinal) => "text/csv",
        _ when format.EndsWith("html", StringComparison.Ordinal) => "text/html",
        _ => "text/plain",
    };

    private static string Printable(string value) => new([.. value.Where(c => !char.IsControl(c)).Take(200)]);
}
