using ExamNetWatch.Crawler;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Jobs;
using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Indexer;
using Ganss.Xss;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>The server: the composition root (<see cref="Composition"/>) with the web front and the Hangfire server, one process on the embedded default.</summary>
public static class AppHost
{
    /// <summary>Builds the web application (not started).</summary>
    public static WebApplication Build(HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // Razor Pages are found in this assembly even when another process (a test host) is the entry point.
            ApplicationName = typeof(AppHost).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        var data = new DataDirectory(settings.DataDir, builder.Configuration["Storage:CapturesPath"], builder.Configuration["Storage:KeysPath"]);
        data.Create();
        builder.WebHost.UseUrls(settings.Urls);
        builder.Services.AddSingleton(settings);
        builder.Services.AddExamNetWatch(builder.Configuration, data);
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddExamNetWatchMetrics(builder.Configuration);

        // The job server's side: Hangfire adapters over the core's crawls, retention and notifications.
        builder.Services.AddSingleton<Crawling.ICrawlJobs, HangfireCrawlJobs>();
        builder.Services.AddScoped<CrawlSourceJob>();
        builder.Services.AddScoped<CrawlScheduler>();
        builder.Services.AddScoped<ExamCadenceJob>();
        builder.Services.AddScoped<RetentionJob>();
        builder.Services.AddScoped<NotificationDrainJob>();
        builder.Services.AddScoped<Notifications.INotificationDrain, HangfireNotificationDrain>();

        // The live queue: alerts pushed to every signed-in watcher, each in their own language.
        // On PostgreSQL every process announces through NOTIFY and every web process listens, so an alert raised by any
        // worker reaches every watcher; on SQLite (one process) ingestion hands it to the live queue directly.
        builder.Services.AddSingleton<Live.AlertBroadcaster>();
        builder.Services.AddSingleton<IAlertFeed>(sp => sp.GetRequiredService<StorageOptions>().Provider == StorageProvider.PostgreSql
            ? ActivatorUtilities.CreateInstance<PostgresAlertNotifier>(sp)
            : sp.GetRequiredService<Live.AlertBroadcaster>());
        if (settings.Role != HostRole.Worker)
        {
            builder.Services.AddSingleton(sp => new PostgresAlertListener(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<Live.AlertBroadcaster>().Publish, sp.GetRequiredService<ILogger<PostgresAlertListener>>()));
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresAlertListener>());
        }

        // The web front.
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration("Proxy").ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ProxyOptions>, ProxyOptionsValidation>();
        builder.Services.AddOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost;
            forwarded.ForwardLimit = 1;
            if (proxy.Value.KnownProxies.Count > 0)
            {
                forwarded.KnownProxies.Clear();
                foreach (var address in proxy.Value.KnownProxies)
                {
                    forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address));
                }
            }
        });
        builder.Services.AddHsts(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<Microsoft.Extensions.Options.IOptions<ProxyOptions>>((o, proxy) =>
        {
            o.MaxAge = TimeSpan.FromDays(proxy.Value.HstsDays);
            // The host name is the proxy's public one; loopback names are never sent HSTS (a developer's machine).
            o.ExcludedHosts.Clear();
            o.ExcludedHosts.Add("localhost");
        });
        builder.Services.AddSingleton(_ =>
        {
            var sanitizer = new HtmlSanitizer();
            sanitizer.AllowedTags.Add("mark");
            return sanitizer;
        });
        builder.Services.AddSingleton<PostHighlighter>();
        new IdentityBuilder(typeof(StaffUser), typeof(IdentityRole), builder.Services).AddSignInManager();
        builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        // A changed role, a new password, a stopped account or a sign-out ends the user's sessions at their next request:
        // the cookie's security stamp is checked against the account on every request (one indexed lookup).
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/Account/Login";
            o.LogoutPath = "/Account/Logout";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over HTTPS (directly or, with forwarded headers, through the proxy).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(StaffPolicies.Triage, p => p.RequireRole(StaffRoles.Admin, StaffRoles.Analyst));
            o.AddPolicy(StaffPolicies.Admin, p => p.RequireRole(StaffRoles.Admin));
        });
        builder.Services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Account/Login");
            o.Conventions.AllowAnonymousToPage("/Language");
        });
        // Chinese text is written as characters, not as &#x…; entities (Razor still encodes <, >, & and quotes).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        // Hangfire's queues: the data directory's SQLite file, or PostgreSQL shared by every process. Web processes only
        // queue jobs; the job server (and the index outbox worker) runs where the role says.
        builder.Services.AddOptions<JobsOptions>().BindConfiguration("Jobs").ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<JobsOptions>, JobsOptionsValidation>();
        builder.Services.AddHangfire((sp, c) =>
        {
            var jobs = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value;
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            // Hangfire's filters are process-wide: one timer however many hosts a process builds (tests build several).
            if (!GlobalJobFilters.Filters.Any(f => f.Instance is JobMetricsFilter))
            {
                c.UseFilter(new JobMetricsFilter());
            }
            if (jobs.Storage == JobStorageKind.PostgreSql)
            {
                var connection = jobs.EffectiveConnectionString(sp.GetRequiredService<StorageOptions>())!;
                c.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connection), new PostgreSqlStorageOptions
                {
                    SchemaName = jobs.Schema,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                    InvisibilityTimeout = jobs.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = true,
                    DistributedLockTimeout = jobs.DistributedLockTimeout,
                    PrepareSchemaIfNecessary = true,
                });
            }
            else
            {
                c.UseSQLiteStorage(data.HangfirePath, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
        });
        if (settings.Role != HostRole.Web)
        {
            builder.Services.AddHangfireServer((sp, o) =>
            {
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.WorkerCount = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value.WorkerCount;
            });
            builder.Services.AddHostedService(sp => sp.GetRequiredService<Indexing.IndexingWorker>());
        }

        var app = builder.Build();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        app.UseExceptionHandler("/Error");
        app.UseHsts();
        app.UseSecurityHeaders();
        app.UseRequestLocalization(o =>
        {
            // Only the UI language switches; numbers and dates keep one format whatever the language.
            o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(ExamNetWatch.Dashboard.Localization.UiText.Cultures[0]);
            o.SupportedCultures = [ExamNetWatch.Dashboard.Localization.UiText.Cultures[0]];
            o.SupportedUICultures = [.. ExamNetWatch.Dashboard.Localization.UiText.Cultures];
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider { CookieName = ExamNetWatch.Dashboard.Localization.UiText.CookieName }];
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            // Third-party browser libraries (ECharts) copied from their packages at build time; no user content is served here.
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "assets")),
            RequestPath = "/assets",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=604800",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        // Probes for the orchestrator, on every role: alive, and ready (store, index and job storage answer).
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapGet("/readyz", (IServiceProvider services, CancellationToken cancellationToken) => Readiness.CheckAsync(services, cancellationToken)).AllowAnonymous();
        app.MapExamNetWatchMetrics();
        if (settings.Role == HostRole.Worker)
        {
            // A worker serves nothing else.
            return app;
        }

        app.MapRazorPages();
        app.MapGet("/events/alerts", (HttpContext context, ExamNetWatch.Dashboard.Live.AlertBroadcaster alerts, IServiceScopeFactory scopes) =>
                alerts.StreamAsync(context.Response, () => StillSignedInAsync(context.User, scopes), context.RequestAborted))
            .RequireAuthorization();
        // Hangfire's dashboard for admins only: the endpoint's policy decides, so Hangfire's own local-only filter is off.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], DashboardTitle = "ExamNetWatch 后台任务" })
            .RequireAuthorization(StaffPolicies.Admin);
        return app;
    }

    /// <summary>Whether the session behind <paramref name="user"/> still holds: the account exists, is not disabled or locked, and its security stamp is the session's.</summary>
    private static async Task<bool> StillSignedInAsync(System.Security.Claims.ClaimsPrincipal user, IServiceScopeFactory scopes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.GetUserAsync(user) is not { } account || await users.IsLockedOutAsync(account))
        {
            return false;
        }

        var stampType = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        return user.FindFirst(stampType)?.Value == await users.GetSecurityStampAsync(account);
    }

    /// <summary>
    /// Prepares the store for use (<see cref="WatchSchema.PrepareAsync"/>: migrations applied on SQLite, or with
    /// <paramref name="migrate"/>; required on PostgreSQL), seals a legacy audit log and creates the roles.
    /// </summary>
    public static async Task InitialiseAsync(IServiceProvider services, CancellationToken cancellationToken, bool migrate = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        await WatchSchema.PrepareAsync(db, migrate, cancellationToken);
        await AuditChain.SealLegacyAsync(db, cancellationToken);
        await ExamNetWatch.Dashboard.Triage.ContactBackfill.RunAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), cancellationToken);
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}
