using System.CommandLine;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>rules export|import</c>: the detection rules (terms, concepts, combinations, patterns, model) are data. Export writes the rules in force;
/// import checks a folder of rules, installs it in the data directory and audits what changed. A running server
/// follows the installed files (<see cref="ExamNetWatch.Dashboard.Rules.RuleBook"/>).
/// </summary>
internal static class RulesCommand
{
    public static Command Create()
    {
        var exportDir = new Argument<DirectoryInfo>("folder") { Description = "Folder to write terms.tsv, concepts.tsv, combinations.tsv, patterns.tsv and model.tsv into" };
        var export = new Command("export", "Write the detection rules in force (imported, else shipped) to a folder") { exportDir };
        export.SetAction(async (r, ct) =>
        {
            var data = new DataDirectory(r.GetValue(CommandLine.DataDir)!);
            var target = r.GetValue(exportDir)!;
            target.Create();
            foreach (var file in Lexicon.FileNames)
            {
                var installed = Path.Combine(data.LexiconPath, file);
                var text = File.Exists(installed) ? await File.ReadAllTextAsync(installed, ct) : Lexicon.DefaultText(file) ?? string.Empty;
                await File.WriteAllTextAsync(Path.Combine(target.FullName, file), text, ct);
            }

            await Console.Out.WriteLineAsync($"rules written to {target.FullName}");
            return 0;
        });

        var importDir = new Argument<DirectoryInfo>("folder") { Description = "Folder holding terms.tsv, concepts.tsv, combinations.tsv, patterns.tsv and model.tsv" }.AcceptExistingOnly();
        var by = new Option<string>("--by") { Description = "Who changes the rules (audited)", DefaultValueFactory = _ => Environment.UserName };
        var reason = new Option<string?>("--reason") { Description = "Why (audited)" };
        var import = new Command("import", "Check and install detection rules from a folder; the change is audited; a running server uses them within seconds") { importDir, by, reason };
        import.SetAction(async (r, ct) =>
        {
            var source = r.GetValue(importDir)!;
            await using var services = CliHost.Build(r.GetValue(CommandLine.DataDir)!);
            ExamNetWatch.Dashboard.Rules.RuleChange change;
            try
            {
                if (!Lexicon.FileNames.All(f => File.Exists(Path.Combine(source.FullName, f))))
                {
                    throw new FormatException($"{source.FullName} must hold {string.Join(", ", Lexicon.FileNames)}.");
                }

                services.Data.Create();
                change = services.GetRequiredService<ExamNetWatch.Dashboard.Rules.RuleBook>().Install(Lexicon.FileNames.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(source.FullName, f))));
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync("rules import: " + ex.Message + " Nothing was changed.");
                return 2;
            }

            var summary = change.Summary;
            await services.InitialiseAsync(ct);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            services.GetRequiredService<AuditLog>().Add(db, r.GetValue(by)!, AuditActions.RulesImport, "rules", r.GetValue(reason) is { } why ? why + " — " + summary : summary);
            await db.SaveChangesAsync(ct);
            await Console.Out.WriteLineAsync("rules installed: " + summary);
            return 0;
        });
        return new Command("rules", "Detection rules: terms, concept words, combinations, patterns and the model, as data") { export, import };
    }
}
