using System.CommandLine;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>demo</c>: serve, plus a local demo forum registered as an authorised source and crawled every 30 s.</summary>
internal static class DemoCommand
{
    private static readonly Option<int> ForumPort = new("--forum-port")
    {
        Description = "Port of the demo forum on 127.0.0.1 (0 = any free port)",
        DefaultValueFactory = _ => 5081,
    };

    private static readonly Option<int> PublishSeconds = new("--publish-seconds")
    {
        Description = "Seconds between two new posts on the demo forum (0 = none)",
        DefaultValueFactory = _ => 20,
    };

    private static readonly Option<int> CrawlSeconds = new("--crawl-seconds")
    {
        Description = "Seconds between two crawls of the demo forum (1-59)",
        DefaultValueFactory = _ => 30,
    };

    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Run a live demo: a local Discuz!-like forum with seeded student posts (some selling answers or cheating devices), registered as an authorised source, crawled at start and every 30 s, with alerts in the dashboard");
        command.Options.Add(ServeCommand.Urls);
        command.Options.Add(ForumPort);
        command.Options.Add(PublishSeconds);
        command.Options.Add(CrawlSeconds);
        command.Options.Add(ServeCommand.ResetPassword);
        CrawlSeconds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 59)
            {
                result.AddError("--crawl-seconds must be between 1 and 59.");
            }
        });
        command.SetAction((result, ct) => ServeCommand.RunAsync(
            new HostSettings(result.GetValue(CommandLine.DataDir)!, result.GetValue(ServeCommand.Urls)!, FormattableString.Invariant($"*/{result.GetValue(CrawlSeconds)} * * * * *"))
            {
                DemoForumPort = result.GetValue(ForumPort),
                DemoPublishInterval = TimeSpan.FromSeconds(result.GetValue(PublishSeconds)),
                ResetPassword = result.GetValue(ServeCommand.ResetPassword),
            },
            ct));
        return command;
    }
}
