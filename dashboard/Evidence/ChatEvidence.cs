using System.Text.Json.Nodes;
using ExamNetWatch.Crawler.Chat;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>
/// The chain from a kept export file to one message of it, for a chat alert's evidence: the file (name, format,
/// encoding, SHA-256, who imported it under which authorisation, with which importer), its WARC record, the exact cut
/// of the file holding the message (lines, byte offset, bytes, SHA-256), and the message as read (sender, time,
/// identity) — which is the post the alert is about. Read again from the kept file, so the package shows what the file
/// says, not only what the database holds.
/// </summary>
public sealed record ChatEvidence(string FileName, string FileSha256, string Format, string Encoding, string? Importer, ChatMessage Message, ChatExcerpt Excerpt)
{
    /// <summary>The package's file name of the cut.</summary>
    public string ExcerptFile(long alertId) => FormattableString.Invariant($"chats/alert-{alertId}-lines-{Excerpt.FirstLine}-{Excerpt.LastLine}.txt");

    /// <summary>Finds the message of <paramref name="item"/>'s post in its kept export; null with the reason when it cannot.</summary>
    public static (ChatEvidence? Evidence, string? Problem) Of(EvidenceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Response is not { Type: "resource" } record)
        {
            return (null, null);
        }

        var bytes = record.Block.ToArray();
        ChatExport export;
        try
        {
            export = ChatExportReader.Read(bytes);
        }
        catch (ChatImportException e)
        {
            return (null, "the kept export cannot be read again: " + e.Message);
        }

        var group = item.Source.Kind + ":" + item.Source.ChatGroupId;
        var message = export.Messages.FirstOrDefault(m => m.Identity(group) == item.Post.ForumPostId);
        if (message is null)
        {
            return (null, "the message is not in the kept export (the source's group id changed after the import?)");
        }

        return (new ChatEvidence(
            record.Field(Dashboard.Chat.ChatImporter.Fields.FileName) ?? "export",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)),
            export.Format,
            export.Encoding,
            record.Field(Dashboard.Chat.ChatImporter.Fields.Importer),
            message,
            ChatExcerpt.Of(bytes, export, message)), null);
    }

    /// <summary>The chain as the post's JSON carries it.</summary>
    public JsonObject ToJson(EvidenceItem item, string excerptFile)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new JsonObject
        {
            ["origin"] = "a group member's export of the chat history, imported under the source's authorisation; not a public web page",
            ["group"] = new JsonObject { ["kind"] = item.Source.Kind, ["id"] = item.Source.ChatGroupId, ["exportedBy"] = item.Source.ChatMember },
            ["file"] = new JsonObject
            {
                ["name"] = FileName,
                ["sha256"] = FileSha256,
                ["format"] = Format,
                ["encoding"] = Encoding,
                ["warcRecordId"] = item.Response?.RecordId,
                ["importedBy"] = item.Response?.Field(Dashboard.Chat.ChatImporter.Fields.ImportedBy),
                ["authorisation"] = item.Response?.Field(Dashboard.Chat.ChatImporter.Fields.Authorisation),
                ["importer"] = Importer ?? "ExamNetWatch chat importer (version not recorded by this import)",
            },
            ["excerpt"] = new JsonObject
            {
                ["file"] = excerptFile,
                ["firstLine"] = Excerpt.FirstLine,
                ["lastLine"] = Excerpt.LastLine,
                ["byteOffset"] = Excerpt.Offset,
                ["byteLength"] = Excerpt.Bytes.Length,
                ["sha256"] = Excerpt.Sha256,
                ["text"] = Excerpt.Text,
            },
            ["message"] = new JsonObject
            {
                ["senderId"] = Message.SenderId,
                ["senderName"] = Message.SenderName,
                ["sentUtc"] = Message.SentAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["identity"] = item.Post.ForumPostId,
                ["identityRule"] = "SHA-256 over group, sender, second sent, text and repeat (first 32 hex digits)",
                ["postId"] = item.Post.Id,
            },
        };
    }
}
