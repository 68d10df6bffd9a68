using System.Globalization;
using System.Text.Json;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// ExamNetWatch's own chat format, for any tool not read directly: UTF-8 JSON Lines, one message per line —
/// <c>{"time": "2026-06-19 08:01:15" | "2026-06-19T00:01:15Z", "sender": "李老师", "sender_id": "12345678", "text": "…",
/// "type": "text" | "image" | "other" | "system", "group": "…"}</c>; <c>time</c>, <c>sender</c> and <c>text</c> are
/// required, a time without an offset is Beijing time, <c>system</c> lines are left out, blank lines are ignored.
/// </summary>
public static class JsonLinesChatExport
{
    /// <summary>Returns whether the first non-blank line is a JSON object with a "time" and a "text".</summary>
    public static bool Recognises(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
        if (first is null || !first.StartsWith('{'))
        {
            return false;
        }

        try
        {
            using var json = JsonDocument.Parse(first);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("time", out _) && json.RootElement.TryGetProperty("text", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads every line.</summary>
    /// <exception cref="ChatImportException">A line is not such an object; the line is named.</exception>
    public static ChatExport Read(string text, string encoding)
    {
        ArgumentNullException.ThrowIfNull(text);
        var messages = new List<ChatMessage>();
        string? group = null;
        var skipped = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var json = JsonDocument.Parse(line);
                root = json.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ChatImportException(i + 1, "not a JSON object: " + e.Message);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ChatImportException(i + 1, "not a JSON object");
            }

            string? Text(string name) => root.TryGetProperty(name, out var value) ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new ChatImportException(i + 1, $"\"{name}\" must be a string"),
            } : null;

            var type = Text("type") ?? "text";
            if (type == "system")
            {
                skipped++;
                continue;
            }

            var kind = type switch
            {
                "text" => ChatMessageKind.Text,
                "image" => ChatMessageKind.Image,
                "other" => ChatMessageKind.Other,
                _ => throw new ChatImportException(i + 1, $"\"type\" '{type}' is not text, image, other or system"),
            };
            var time = Text("time") ?? throw new ChatImportException(i + 1, "\"time\" is missing");
            var sender = Text("sender") ?? throw new ChatImportException(i + 1, "\"sender\" is missing");
            var body = Text("text") ?? throw new ChatImportException(i + 1, "\"text\" is missing");
            group ??= Text("group");
            messages.Add(new ChatMessage(Text("sender_id") is { Length: > 0 } id ? id : null, sender, Time(time, i + 1), body, kind, i + 1) { LastLine = i + 1 });
        }

        return new ChatExport(ChatExportFormats.JsonLines, encoding, group, ChatRepeats.Number(messages), skipped);
    }

    private static DateTimeOffset Time(string value, int line)
    {
        if (DateTime.TryParseExact(value, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return ChatClock.Beijing(local);
        }

        return (value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > 10) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            ? instant
            : throw new ChatImportException(line, $"\"time\" '{value}' is not a date and time (2026-06-19 08:01:15, Beijing, or ISO 8601 with an offset)");
    }
}
