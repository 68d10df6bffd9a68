using ExamNetWatch.Crawler;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Jobs;
using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Indexer;
using Ganss.Xss;
using Hangfire;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>The composition root: one process with the dashboard, the Hangfire server and the pipeline, on the embedded default.</summary>
public static class AppHost
{
    /// <summary>Builds the web application (not started).</summary>
    public static WebApplication Build(HostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var data = new DataDirectory(settings.DataDir);
        data.Create();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // Razor Pages are found in this assembly even when another process (a test host) is the entry point.
            ApplicationName = typeof(AppHost).Assembly.GetName().Name,
        });
        builder.Configuration.AddInMemoryCollection(settings.Configuration);
        builder.WebHost.UseUrls(settings.Urls);
        builder.Services.AddSingleton(data);
        // Sign-in cookies and antiforgery tokens stay valid across restarts on the same data directory.
        builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(data.KeysPath)).SetApplicationName("ExamNetWatch");
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        data.AddWatchDatabase(builder.Services);
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<LoginThrottle>();
        builder.Services.AddCrawler(data.CapturesPath);
        builder.Services.AddIndexer(data.IndexPath, data.LexiconPath, IndexLocation.ElasticsearchUrl(builder.Configuration));
        builder.Services.AddSingleton(new ExamNetWatch.Indexer.IndexCommitHook(() => ExamNetWatch.Crawler.Faults.KillPoint.Reach("index.before-commit")));
        // Detection follows the rules in force (edited in the dashboard or imported), not the lexicon read at start.
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Rules.RuleBook>();
        builder.Services.AddTransient(sp => sp.GetRequiredService<ExamNetWatch.Dashboard.Rules.RuleBook>().Detector);
        builder.Services.AddScoped<PostIngestor>();
        builder.Services.AddOptions<ExamNetWatch.Dashboard.Ingestion.DetectionOptions>().BindConfiguration("Detection").ValidateDataAnnotations().ValidateOnStart();
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
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(builder.Configuration.GetValue("Proxy:HstsDays", 180));
            // The host name is the proxy's public one; loopback names are never sent HSTS (a developer's machine).
            o.ExcludedHosts.Clear();
            o.ExcludedHosts.Add("localhost");
        });
        AddValidated<ExamNetWatch.Dashboard.Indexing.IndexingOptions>(builder.Services, "Indexing");
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Indexing.IndexingSignal>();
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Indexing.IndexingStatus>();
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Indexing.IndexingWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ExamNetWatch.Dashboard.Indexing.IndexingWorker>());
        builder.Services.AddScoped<DbCrawlState>();
        builder.Services.AddScoped<CrawlSourceJob>();
        builder.Services.AddSingleton(_ =>
        {
            var sanitizer = new HtmlSanitizer();
            sanitizer.AllowedTags.Add("mark");
            return sanitizer;
        });
        builder.Services.AddSingleton<PostHighlighter>();
        builder.Services.AddScoped<AccountBootstrap>();
        builder.Services.AddScoped<CrawlScheduler>();
        builder.Services.AddScoped<ExamCadenceJob>();
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Retention.RetentionPolicy>();
        builder.Services.AddScoped<RetentionJob>();
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Triage.AlertTriage>();
        AddValidated<ExamNetWatch.Dashboard.Triage.SlaOptions>(builder.Services, "Sla");
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Live.AlertBroadcaster>();
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Ingestion.IAlertFeed>(sp => sp.GetRequiredService<ExamNetWatch.Dashboard.Live.AlertBroadcaster>());
        // The configured targets are validated like every section, but NotificationOptions itself is the per-scope merge
        // with the settings page (below), so only IOptions holds the configured value.
        builder.Services.AddOptions<ExamNetWatch.Dashboard.Notifications.NotificationOptions>().BindConfiguration("Notifications").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new ExamNetWatch.Dashboard.Notifications.ConfiguredNotifications(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ExamNetWatch.Dashboard.Notifications.NotificationOptions>>().Value));
        // Targets saved on the settings page win over the configured ones; read per scope (a crawl, a notification job, a request).
        builder.Services.AddScoped(sp => ExamNetWatch.Dashboard.Notifications.NotificationSettings.Load(sp.GetRequiredService<WatchDbContext>(), sp.GetRequiredService<ExamNetWatch.Dashboard.Notifications.ConfiguredNotifications>().Options, sp.GetRequiredService<IDataProtectionProvider>().CreateProtector(ExamNetWatch.Dashboard.Notifications.NotificationSettings.SecretPurpose)));
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Notifications.AlertNotifier>();
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Notifications.NotificationOutbox>();
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Jobs.NotificationDrainJob>();
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Notifications.INotificationDrain, ExamNetWatch.Dashboard.Jobs.HangfireNotificationDrain>();
        ExamNetWatch.Dashboard.Notifications.AlertNotifier.AddHttpClient(builder.Services);
        AddValidated<ExamNetWatch.Dashboard.Retention.RetentionOptions>(builder.Services, "Retention");
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Sources.SourceRegistry>();
        builder.Services.AddScoped(sp => new ExamNetWatch.Dashboard.Statistics.AlertStatistics(sp.GetRequiredService<WatchDbContext>(), ExamNetWatch.Dashboard.Rendering.Labels.StatisticsNames));
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Reports.SpecialCheckReport>();
        AddValidated<ExamNetWatch.Dashboard.Evidence.EvidenceOptions>(builder.Services, "Evidence");
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Evidence.IPageRenderer>(sp => new ExamNetWatch.Dashboard.Evidence.ChromiumPageRenderer(sp.GetRequiredService<ExamNetWatch.Dashboard.Evidence.EvidenceOptions>().ChromiumPath));
        builder.Services.AddHttpClient("tsa", c => c.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddScoped<ExamNetWatch.Dashboard.Evidence.EvidenceCollector>();
        builder.Services.AddSingleton(_ => ExamNetWatch.Dashboard.Evidence.EvidenceSigningKey.LoadOrCreate(data.KeysPath));
        builder.Services.AddScoped(sp => new ExamNetWatch.Dashboard.Evidence.EvidenceExporter(
            sp.GetRequiredService<WatchDbContext>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<ExamNetWatch.Dashboard.Evidence.IPageRenderer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ExamNetWatch.Dashboard.Evidence.EvidenceOptions>().TsaUrl is { } tsa ? new ExamNetWatch.Dashboard.Evidence.TimestampAuthority(sp.GetRequiredService<IHttpClientFactory>().CreateClient("tsa"), tsa) : null,
            sp.GetRequiredService<ExamNetWatch.Dashboard.Evidence.EvidenceSigningKey>()));

        builder.Services.AddIdentityCore<StaffUser>(StaffAccounts.Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WatchDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
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
        builder.Services.AddSingleton<ExamNetWatch.Dashboard.Localization.UiText>();
        // Chinese text is written as characters, not as &#x…; entities (Razor still encodes <, >, & and quotes).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseSQLiteStorage(data.HangfirePath, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) }));
        builder.Services.AddHangfireServer(o =>
        {
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            o.WorkerCount = Math.Clamp(Environment.ProcessorCount, 2, 8);
        });

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
        app.MapRazorPages();
        app.MapGet("/events/alerts", (HttpContext context, ExamNetWatch.Dashboard.Live.AlertBroadcaster alerts, IServiceScopeFactory scopes) =>
                alerts.StreamAsync(context.Response, () => StillSignedInAsync(context.User, scopes), context.RequestAborted))
            .RequireAuthorization();
        // Hangfire's dashboard for admins only: the endpoint's policy decides, so Hangfire's own local-only filter is off.
        app.MapHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [], DashboardTitle = "ExamNetWatch 后台任务" })
            .RequireAuthorization(StaffPolicies.Admin);
        return app;
    }

    /// <summary>
    /// Binds configuration section <paramref name="section"/> to <typeparamref name="T"/>, validated at start (annotations and
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>, messages naming the setting), and registers the value.
    /// </summary>
    private static void AddValidated<T>(IServiceCollection services, string section)
        where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<T>>().Value);
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

    /// <summary>Prepares the data directory for use: applies migrations and creates the roles.</summary>
    public static async Task InitialiseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        await WatchSchema.MigrateAsync(db, cancellationToken);
        // WAL lets `alerts list` and other readers work while the server writes.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
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
