using System.Globalization;
using System.Text.RegularExpressions;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// The QQ / TIM message manager's text export: a title line, then per conversation a block of 64 '=' lines naming
/// 消息分组 and 消息对象, then messages — a header line <c>2026-06-19 8:01:15 昵称(QQ号)</c> (or <c>昵称&lt;mail&gt;</c>,
/// or the name alone in a private chat) followed by the body's lines, up to the next header line. Bodies may hold
/// blank lines; pictures are the placeholder [图片].
/// </summary>
public static partial class QqTextExport
{
    /// <summary>The title line the message manager writes first.</summary>
    public const string Title = "消息记录（此消息记录为文本格式，不支持重新导入）";

    internal static readonly string[] SystemIds = ["10000", "1000000"];

    /// <summary>Returns whether <paramref name="text"/> is such an export.</summary>
    public static bool Recognises(string text) => text.TrimStart('\uFEFF', ' ', '\n').StartsWith(Title, StringComparison.Ordinal)
        || (text.Contains("\n消息对象:", StringComparison.Ordinal) && Separator().IsMatch(text));

    /// <summary>Reads the export; a group conversation is the one to import (an export of several conversations is refused).</summary>
    /// <exception cref="ChatImportException">The file is not one conversation of this format, or a line cannot be read.</exception>
    public static ChatExport Read(string text, string encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        string? conversation = null;
        var messages = new List<(string? Id, string Name, DateTimeOffset At, int Line, List<string> Body)>();
        var ends = new List<int>();
        var system = 0;
        var inSystem = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            var number = i + 1;
            if (i == 0 && line.TrimStart('\uFEFF') == Title)
            {
                continue;
            }

            if (Separator().IsMatch(line) || line.StartsWith("消息分组:", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("消息对象:", StringComparison.Ordinal))
            {
                if (ends.Count > 0 && ends[^1] == 0)
                {
                    ends[^1] = number - 1;
                }

                var name = line["消息对象:".Length..].Trim();
                if (conversation is not null && conversation != name)
                {
                    throw new ChatImportException(number, $"a second conversation ('{name}' after '{conversation}'): export one group at a time");
                }

                conversation = name;
                continue;
            }

            if (Header().Match(line) is { Success: true } header)
            {
                // A header ends the message before it, whether or not the new one is kept.
                if (ends.Count > 0 && ends[^1] == 0)
                {
                    ends[^1] = number - 1;
                }

                var at = ParseTime(header, number);
                var (id, name) = Sender(header.Groups["sender"].Value.Trim());
                inSystem = id is not null && SystemIds.Contains(id) && name == "系统消息";
                if (inSystem)
                {
                    system++;
                    continue;
                }

                messages.Add((id, name, at, number, []));
                ends.Add(0);
                continue;
            }

            if (messages.Count == 0 && !inSystem)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                throw new ChatImportException(number, $"text before the first message ('{Cut(line)}'): not a QQ message manager export");
            }

            if (!inSystem)
            {
                messages[^1].Body.Add(line);
            }
        }

        if (conversation is null && messages.Count == 0)
        {
            throw new ChatImportException(0, "no conversation and no message: not a QQ message manager export");
        }

        if (ends.Count > 0 && ends[^1] == 0)
        {
            ends[^1] = lines.Length;
        }

        var read = new List<ChatMessage>(messages.Count);
        foreach (var (m, end) in messages.Zip(ends))
        {
            var body = string.Join('\n', m.Body).Trim('\n', ' ');
            if (body.Length == 0)
            {
                system++;
                continue;
            }

            var kind = body is "[图片]" ? ChatMessageKind.Image : PlaceholderOnly().IsMatch(body) ? ChatMessageKind.Other : ChatMessageKind.Text;
            read.Add(new ChatMessage(m.Id, m.Name, m.At, body, kind, m.Line) { LastLine = end });
        }

        return new ChatExport(ChatExportFormats.QqText, encoding, conversation, ChatRepeats.Number(read), system);
    }

    private static DateTimeOffset ParseTime(Match header, int line)
    {
        var text = header.Groups["date"].Value + " " + header.Groups["time"].Value;
        string[] formats = ["yyyy-MM-dd H:mm:ss", "yyyy-M-d H:mm:ss", "yyyy-MM-dd h:mm:ss tt", "yyyy-M-d h:mm:ss tt"];
        if (!DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            throw new ChatImportException(line, $"'{text}' is not a date and time");
        }

        return ChatClock.Beijing(local);
    }

    /// <summary>The id is the last (…) or &lt;…&gt; of the sender; names may hold brackets of their own.</summary>
    internal static (string? Id, string Name) Sender(string sender)
    {
        var match = SenderId().Match(sender);
        return match.Success && match.Groups["id"].Value.Length > 0
            ? (match.Groups["id"].Value, sender[..match.Index].Trim() is { Length: > 0 } name ? name : match.Groups["id"].Value)
            : (null, sender);
    }

    private static string Cut(string line) => line.Length <= 40 ? line : line[..40] + "…";

    [GeneratedRegex(@"^={20,}$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^(?<date>\d{4}-\d{1,2}-\d{1,2}) (?<time>\d{1,2}:\d{2}:\d{2}(?: [AP]M)?) (?<sender>\S.*)$")]
    private static partial Regex Header();

    [GeneratedRegex(@"[(<](?<id>[^()<>]*)[)>]$")]
    private static partial Regex SenderId();

    [GeneratedRegex(@"^(\[[^\[\]]{1,6}\])+$")]
    private static partial Regex PlaceholderOnly();
}

/// <summary>Export clocks: exports write the local time of the exporting computer, taken to be Beijing time (UTC+8).</summary>
public static class ChatClock
{
    /// <summary>Beijing's offset from UTC (no daylight saving).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Reads <paramref name="local"/> as a Beijing clock time.</summary>
    public static DateTimeOffset Beijing(DateTime local) => new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset);
}

/// <summary>Numbers identical messages (same sender, second and text) of one export so that each keeps its own identity.</summary>
public static class ChatRepeats
{
    public static IReadOnlyList<ChatMessage> Number(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var seen = new Dictionary<(string, long, string), int>();
        var numbered = new List<ChatMessage>(messages.Count);
        foreach (var message in messages)
        {
            var key = (message.SenderId ?? "name:" + message.SenderName, message.SentAt.ToUnixTimeSeconds(), message.Text);
            var repeat = seen.GetValueOrDefault(key);
            seen[key] = repeat + 1;
            numbered.Add(message with { Repeat = repeat });
        }

        return numbered;
    }
}
