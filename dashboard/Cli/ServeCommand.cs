using System.CommandLine;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>serve</c>: run the dashboard, the Hangfire server and the crawl schedules until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static readonly Option<string> Urls = new("--urls")
    {
        Description = "Where the dashboard listens",
        DefaultValueFactory = _ => "http://127.0.0.1:5080",
    };

    public static readonly Option<bool> ResetPassword = new("--reset-password")
    {
        Description = "Issue a new password for the first account (admin, or demo in the demo) and print it",
    };

    public static readonly Option<HostRole> Role = new("--role")
    {
        Description = "all: dashboard and jobs in one process (default); web: the dashboard only; worker: the jobs only (web and worker need Storage and Jobs on PostgreSQL)",
        DefaultValueFactory = _ => HostRole.All,
    };

    public static Command Create()
    {
        var command = new Command("serve", "Run the dashboard with the Hangfire server and crawl schedules (the default verb)");
        command.Options.Add(Urls);
        command.Options.Add(ResetPassword);
        command.Options.Add(Role);
        command.SetAction((result, ct) => RunAsync(
            new HostSettings(result.GetValue(CommandLine.DataDir)!, result.GetValue(Urls)!) { ResetPassword = result.GetValue(ResetPassword), Role = result.GetValue(Role) },
            ct));
        return command;
    }

    /// <summary>Starts the server, prints where to sign in, and waits for Ctrl+C.</summary>
    public static async Task<int> RunAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        RunningServer server;
        try
        {
            server = await ServerRunner.StartAsync(settings, cancellationToken);
        }
        catch (DataDirectoryInUseException ex)
        {
            await Console.Error.WriteLineAsync($"无法启动：该数据目录已被另一个 ExamNetWatch 进程使用 / cannot start: {ex.Message}");
            return 1;
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await Console.Error.WriteLineAsync($"无法启动：{ex.Message} / cannot start: the port is in use. Choose another with --urls (or --forum-port for the demo forum).");
            return 1;
        }

        await using var running = server;
        var output = Console.Out;
        await output.WriteLineAsync();
        if (settings.Role == HostRole.Worker)
        {
            await output.WriteLineAsync($"ExamNetWatch 作业进程已启动 / worker is running; health: {server.DashboardUrl}healthz, {server.DashboardUrl}readyz");
        }
        else
        {
            await output.WriteLineAsync($"ExamNetWatch 已启动 / is running: {server.DashboardUrl}");
        }

        if (server.Forum is not null)
        {
            await output.WriteLineAsync($"演示论坛 / demo forum: {server.Forum.BoardUrl}");
        }

        // A worker signs nobody in.
        if (settings.Role != HostRole.Worker)
        {
            await output.WriteLineAsync(server.Password is null
                ? $"登录 / sign in as: {server.UserName} (password shown at first start; --reset-password issues a new one)"
                : $"登录 / sign in as: {server.UserName}   密码 / password: {server.Password}   (stored hashed; shown only now)");
            if (server.AdminUserName is not null)
            {
                await output.WriteLineAsync(server.AdminPassword is null
                    ? $"管理员 / administrator: {server.AdminUserName} (password shown at first start)"
                    : $"管理员 / administrator: {server.AdminUserName}   密码 / password: {server.AdminPassword}   (sources, rules, exam calendar, settings)");
            }
        }

        await output.WriteLineAsync($"数据目录 / data directory: {Path.GetFullPath(settings.DataDir)}");
        await output.WriteLineAsync("按 Ctrl+C 停止 / press Ctrl+C to stop");
        // Ctrl+C reaches either the command line (its token) or the host's console lifetime (ApplicationStopping).
        var lifetime = running.App.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("正在停止 / stopping…");
        }

        return 0;
    }
}
