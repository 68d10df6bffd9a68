using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExamNetWatch.Crawler.Chat;
using ExamNetWatch.Dashboard.Chat;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>import chat FILE --source ID</c>: a group chat's history exported by a member, into the same triage as crawled posts.</summary>
internal static class ImportCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The export: QQ/TIM message manager text (.txt) or .mht, WeChatMsg/留痕 CSV or HTML, PyWxDump CSV, or JSON Lines" };
        var source = new Option<int>("--source") { Description = "The group-chat source (its number, as 'sources list' shows it)", Required = true };
        var by = new Option<string>("--by") { Description = "Who imports it (recorded in the audit log and the kept file's record)", DefaultValueFactory = _ => Environment.UserName };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var chat = new Command("chat", "Import a group chat's exported history: each new message is judged like a post; the file is kept byte for byte; importing it again adds nothing") { file, source, by, json };
        chat.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"import chat: {path.FullName} does not exist");
                return 2;
            }

            if (path.Length > ChatExportReader.MaxBytes)
            {
                await Console.Error.WriteLineAsync(FormattableString.Invariant($"import chat: {path.Name} is {path.Length / 1024 / 1024} MB, more than the {ChatExportReader.MaxBytes / 1024 / 1024} MB an export may be"));
                return 2;
            }

            var bytes = await File.ReadAllBytesAsync(path.FullName, ct);
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            ChatImportResult result;
            try
            {
                result = await scope.ServiceProvider.GetRequiredService<ChatImporter>().ImportAsync(r.GetValue(source), path.Name, bytes, r.GetValue(by)!, null, ct);
            }
            catch (Exception e) when (e is ChatImportException or ChatImportRefusedException)
            {
                await Console.Error.WriteLineAsync($"import chat: {path.Name}: {e.Message}; nothing was imported");
                return 2;
            }

            if (r.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
            }
            else
            {
                await Console.Out.WriteLineAsync(FormattableString.Invariant($"{path.Name} ({result.Format}, sha256 {result.Sha256}): {result.Read} messages read, {result.New} new, {result.Known} already imported, {result.Skipped} system notices skipped, {result.Unauthorised} sent outside the authorisation left out, {result.Alerts} alerts"));
            }

            return 0;
        });
        return new Command("import", "Import what cannot be crawled: group-chat exports") { chat };
    }
}
