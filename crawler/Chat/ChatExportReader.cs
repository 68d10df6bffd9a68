namespace ExamNetWatch.Crawler.Chat;

/// <summary>Reads a group-chat export of any supported format, recognised by its content rather than its name.</summary>
public static class ChatExportReader
{
    /// <summary>The largest export read (text exports of years of a busy group stay far below it).</summary>
    public const int MaxBytes = 256 * 1024 * 1024;

    /// <summary>The version of the readers, recorded with every kept export: it changes when a format is read differently.</summary>
    public const string Version = "1";

    /// <summary>Reads <paramref name="bytes"/>.</summary>
    /// <exception cref="ChatImportException">The file is too large, not a supported export, or has a line that cannot be read (named); nothing of it is to be imported.</exception>
    public static ChatExport Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new ChatImportException(0, FormattableString.Invariant($"the file is {bytes.Length / 1024 / 1024} MB, more than the {MaxBytes / 1024 / 1024} MB an export may be"));
        }

        if (bytes.StartsWith("SQLite format 3\0"u8))
        {
            throw new ChatImportException(0, "the file is a database, not an export: export the group's history with the chat tool first");
        }

        var (text, encoding) = ChatText.Decode(bytes);
        text = text.TrimStart('\uFEFF');
        if (QqMhtExport.Recognises(text))
        {
            return QqMhtExport.Read(text, encoding);
        }

        if (QqTextExport.Recognises(text))
        {
            return QqTextExport.Read(text, encoding);
        }

        if (WeChatHtmlExport.Recognises(text))
        {
            return WeChatHtmlExport.Read(text, encoding);
        }

        if (WeChatCsvExport.Recognise(text) is not null)
        {
            return WeChatCsvExport.Read(text, encoding);
        }

        if (JsonLinesChatExport.Recognises(text))
        {
            return JsonLinesChatExport.Read(text, encoding);
        }

        throw new ChatImportException(0, "not a chat export ExamNetWatch reads: QQ/TIM message manager text (.txt) or .mht, WeChatMsg/留痕 CSV or HTML, PyWxDump CSV, or JSON Lines (see README)");
    }
}
