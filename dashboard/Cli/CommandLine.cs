using System.CommandLine;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>The <c>examnetwatch</c> command line: the web app (<c>serve</c>, the default) and its verbs.</summary>
public static class CommandLine
{
    /// <summary>The data directory of the embedded default, shared by every verb.</summary>
    public static readonly Option<string> DataDir = new("--data-dir")
    {
        Description = "Folder holding the database, Hangfire storage, search index and raw captures (created if missing; delete it to reset)",
        DefaultValueFactory = _ => "data",
        Recursive = true,
    };

    /// <summary>Builds the root command with every verb.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("ExamNetWatch — watch authorised forums for exam-paper leaks and cheating-device sales, triage alerts, export evidence.");
        root.Options.Add(DataDir);
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DetectCommand.Create());
        root.Subcommands.Add(AlertsCommand.Create());
        root.Subcommands.Add(SourcesCommand.Create());
        root.Subcommands.Add(ExamsCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(RulesCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(SearchCommand.Create());
        root.Subcommands.Add(IndexCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(EvidenceCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        // No verb means serve, with serve's defaults.
        foreach (var option in serve.Options)
        {
            root.Options.Add(option);
        }

        root.Action = serve.Action;
        return root;
    }
}
