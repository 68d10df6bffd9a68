using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>detect</c>: JSON Lines in, one verdict per line out, in order, streaming. The output shape is a stable contract.
/// </summary>
public static class DetectCommand
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Option<FileInfo> Input = new Option<FileInfo>("--input")
    {
        Description = "JSON Lines file to read (default: standard input)",
    }.AcceptExistingOnly();

    private static readonly Option<FileInfo> Evaluate = new Option<FileInfo>("--evaluate")
    {
        Description = "Instead of judging, score a labelled set ({\"id\", \"text\", \"alert\", \"category\", \"evasion\"?, \"label\"?, \"source_type\"?} per line): precision, recall and F1, per category, per source type and per evasion, the watch items, the severities and every error",
    }.AcceptExistingOnly();

    internal static Command Create()
    {
        var command = new Command(
            "detect",
            """
            Judge posts given as JSON Lines, one object per line: {"id": "…", "title": "…", "text": "…"} (title optional,
            other fields ignored; blank lines skipped). Writes one JSON line per input line, in order:
            {"id", "alert", "severity", "score", "categories", "matches": [{"field", "start", "end", "text", "term",
            "category"}], "contacts": [{"kind", "value"}], "explanations": [...]}.
            "alert" is true exactly when severity is medium, high or critical. "start"/"end" are UTF-16 offsets into the
            named field ("title" or "text") of the input, so "text" is exactly that slice of it.
            A malformed line yields {"line": N, "error": "…"} in its place and processing goes on; the exit code is 2
            if any line failed, else 0. With a database in the data directory, its exam calendar is used as the server
            uses it: critical only for a concrete offer close to or during a paper of the calendar.
            """);
        command.Options.Add(Input);
        command.Options.Add(Evaluate);
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(Evaluate) is { } labelled)
            {
                using var set = new StreamReader(labelled.FullName, Encoding.UTF8);
                await using var rules = ExamNetWatch.Dashboard.Hosting.CliHost.Build(result.GetValue(CommandLine.DataDir)!);
                var report = ExamNetWatch.Indexer.Evaluation.DetectionEvaluation.Evaluate(
                    [.. ExamNetWatch.Indexer.Evaluation.DetectionEvaluation.Read(set)], rules.GetRequiredService<PostDetector>());
                await Console.Out.WriteAsync(report.ToTable());
                return 0;
            }

            var file = result.GetValue(Input);
            await using var services = ExamNetWatch.Dashboard.Hosting.CliHost.Build(result.GetValue(CommandLine.DataDir)!);
            var detector = services.GetRequiredService<PostDetector>();
            var context = await CalendarAsync(services, ct);
            using var reader = file is null
                ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16)
                : new StreamReader(file.FullName, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
            await using var writer = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 1 << 16);
            return await RunAsync(reader, writer, detector, flushEachLine: file is null && !Console.IsInputRedirected, ct, context);
        });
        return command;
    }

    /// <summary>
    /// The exam calendar of the data directory, if it has a database (the verdicts are then those the server gives:
    /// critical only close to or during a paper of the calendar); none otherwise — no database is created.
    /// </summary>
    private static async Task<DetectionContext> CalendarAsync(ExamNetWatch.Dashboard.Hosting.CliHost services, CancellationToken cancellationToken)
    {
        if (!File.Exists(services.Data.DatabasePath))
        {
            return DetectionContext.None;
        }

        await services.InitialiseAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ExamNetWatch.Dashboard.Data.WatchDbContext>();
        var nearDays = services.GetRequiredService<ExamNetWatch.Dashboard.Ingestion.DetectionOptions>().ExamNearDays;
        return await ExamNetWatch.Dashboard.Ingestion.ExamCalendarContext.LoadAsync(db, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, nearDays, cancellationToken);
    }

    /// <summary>Processes every line of <paramref name="input"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output, PostDetector detector, bool flushEachLine, CancellationToken cancellationToken, DetectionContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(detector);
        var failed = false;
        var number = 0;
        var buffer = new ArrayBufferWriter<byte>();
        var next = input.ReadLineAsync(cancellationToken);
        while (true)
        {
            // It streams: when the next line is not there yet (a pipe whose writer waits for the verdicts so far), the
            // verdicts written so far go out before waiting; while input keeps coming they are written in large blocks.
            if (!next.IsCompleted)
            {
                await output.FlushAsync(cancellationToken);
            }

            if (await next is not { } line)
            {
                break;
            }

            next = input.ReadLineAsync(cancellationToken);
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            buffer.ResetWrittenCount();
            await using (var json = new Utf8JsonWriter(buffer, WriterOptions))
            {
                try
                {
                    var (id, title, text) = ParseLine(line);
                    VerdictJson.Write(json, id, detector.Detect(title, text, context ?? DetectionContext.None));
                }
                catch (Exception ex) when (ex is JsonException or FormatException)
                {
                    failed = true;
                    json.Reset(buffer);
                    buffer.ResetWrittenCount();
                    json.WriteStartObject();
                    json.WriteNumber("line", number);
                    json.WriteString("error", ex.Message);
                    json.WriteEndObject();
                }
            }

            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
            if (flushEachLine)
            {
                await output.FlushAsync(cancellationToken);
            }
        }

        await output.FlushAsync(cancellationToken);
        return failed ? 2 : 0;
    }

    private static (string Id, string? Title, string Text) ParseLine(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("each line must be a JSON object");
        }

        var id = root.TryGetProperty("id", out var idValue) ? idValue.ValueKind switch
        {
            JsonValueKind.String => idValue.GetString()!,
            JsonValueKind.Number => idValue.GetRawText(),
            _ => throw new FormatException("\"id\" must be a string or a number"),
        } : throw new FormatException("missing \"id\"");
        var text = root.TryGetProperty("text", out var textValue) && textValue.ValueKind == JsonValueKind.String
            ? textValue.GetString()!
            : throw new FormatException("missing \"text\" (a string)");
        string? title = null;
        if (root.TryGetProperty("title", out var titleValue))
        {
            title = titleValue.ValueKind switch
            {
                JsonValueKind.String => titleValue.GetString(),
                JsonValueKind.Null => null,
                _ => throw new FormatException("\"title\" must be a string"),
            };
        }

        return (id, title, text);
    }
}
