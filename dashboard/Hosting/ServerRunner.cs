using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Demo;
using ExamNetWatch.Dashboard.Jobs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>A started dashboard (and demo forum, in the demo), with the account to sign in with.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly ServeLock _lock;

    internal RunningServer(WebApplication app, DemoForum? forum, Uri dashboardUrl, string userName, string? password, ServeLock serveLock)
    {
        _lock = serveLock;
        App = app;
        Forum = forum;
        DashboardUrl = dashboardUrl;
        UserName = userName;
        Password = password;
    }

    public WebApplication App { get; }

    public DemoForum? Forum { get; }

    public Uri DashboardUrl { get; }

    public string UserName { get; }

    /// <summary>Gets the generated password when the account was created in this run; null when it already existed.</summary>
    public string? Password { get; }

    /// <summary>Gets the demo's administrator (sources, rules, settings), if this is the demo.</summary>
    public string? AdminUserName { get; init; }

    /// <summary>Gets the administrator's generated password when the account was created in this run.</summary>
    public string? AdminPassword { get; init; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await App.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // A job that does not stop in 15 s (a crawl waiting on a slow site) is left to its storage: its work is
                // committed step by step, so what it did is kept and the next run goes on from there.
                HostLog.StopTimedOut(App.Logger);
            }
        }

        if (Forum is not null)
        {
            await Forum.DisposeAsync();
        }

        await App.DisposeAsync();
        _lock.Dispose();
    }
}

/// <summary>Starts the system for <c>serve</c> and <c>demo</c>.</summary>
public static class ServerRunner
{
    /// <summary>Builds, initialises and starts everything the settings ask for.</summary>
    public static async Task<RunningServer> StartAsync(HostSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var serveLock = ServeLock.Acquire(settings.DataDir);
        WebApplication app;
        try
        {
            serveLock.RecoverHangfire(new DataDirectory(settings.DataDir).HangfirePath);
            app = AppHost.Build(settings);
        }
        catch
        {
            serveLock.Dispose();
            throw;
        }

        DemoForum? forum = null;
        try
        {
            await AppHost.InitialiseAsync(app.Services, cancellationToken);
            int? demoSourceId = null;
            string userName;
            string? password;
            string? adminPassword = null;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                var services = scope.ServiceProvider;
                var accounts = services.GetRequiredService<AccountBootstrap>();
                if (settings.Role == HostRole.Worker)
                {
                    // Accounts are the web processes' (and `users add`'s); a worker signs nobody in.
                    userName = string.Empty;
                    password = null;
                }
                else if (settings.DemoForumPort is { } port)
                {
                    var time = services.GetRequiredService<TimeProvider>();
                    forum = await DemoForum.StartAsync(port, settings.DemoPublishInterval, time, services.GetRequiredService<ILoggerFactory>(), cancellationToken);
                    var setup = new DemoSetup(services.GetRequiredService<WatchDbContext>(), services.GetRequiredService<AuditLog>(), time);
                    demoSourceId = await setup.RegisterSourceAsync(forum, settings.CrawlSchedule, cancellationToken);
                    userName = DemoSetup.UserName;
                    password = await accounts.EnsureAsync(userName, StaffRoles.Analyst, settings.ResetPassword);
                    // The demo also has an administrator, so sources, rules, the calendar and settings can be tried.
                    adminPassword = await accounts.EnsureAsync(DemoSetup.AdminUserName, StaffRoles.Admin, settings.ResetPassword);
                }
                else
                {
                    userName = "admin";
                    var anyUser = services.GetRequiredService<UserManager<StaffUser>>().Users.Any();
                    password = anyUser && !settings.ResetPassword ? null : await accounts.EnsureAsync(userName, StaffRoles.Admin, settings.ResetPassword);
                }

                // The job server keeps the schedules (a web process only queues crawls asked for in the dashboard).
                var scheduler = services.GetRequiredService<CrawlScheduler>();
                if (settings.Role != HostRole.Web)
                {
                    await scheduler.SyncAsync(cancellationToken);
                }

                if (demoSourceId is { } id)
                {
                    scheduler.RunNow(id);
                }
            }

            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new RunningServer(app, forum, new Uri(address.TrimEnd('/') + "/"), userName, password, serveLock)
            {
                AdminUserName = forum is null ? null : DemoSetup.AdminUserName,
                AdminPassword = adminPassword,
            };
        }
        catch
        {
            if (forum is not null)
            {
                await forum.DisposeAsync();
            }

            await app.DisposeAsync();
            serveLock.Dispose();
            throw;
        }
    }
}
