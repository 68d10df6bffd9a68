using ExamNetWatch.Dashboard.Crawling;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Notifications;
using ExamNetWatch.Dashboard.Retention;
using ExamNetWatch.Dashboard.Rules;
using ExamNetWatch.Dashboard.Sources;
using ExamNetWatch.Dashboard.Statistics;
using ExamNetWatch.Dashboard.Triage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Dashboard;

/// <summary>
/// Registers the dashboard's core, one method per concept. Every options class is bound from its configuration
/// section, validated by its annotations at start (the messages name the setting) and registered as its value.
/// Hosts add what the core leaves to them: a data-protection provider (notification secrets), an alert feed and a
/// notification drain, the crawler and the indexer.
/// </summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>The configuration sections the core reads.</summary>
    public static class Sections
    {
        public const string Storage = "Storage";
        public const string Detection = "Detection";
        public const string Indexing = "Indexing";
        public const string Sla = "Sla";
        public const string Notifications = "Notifications";
        public const string Retention = "Retention";
    }

    /// <summary>Adds every concept of the core for the data directory <paramref name="data"/>.</summary>
    public static IServiceCollection AddWatchCore(this IServiceCollection services, IConfiguration configuration, DataDirectory data, StatisticsNames? statisticsNames = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services
            .AddWatchStore(configuration, data)
            .AddStaffAccounts()
            .AddDetectionRules(configuration)
            .AddIngestion()
            .AddCrawling(configuration)
            .AddIndexSync(configuration)
            .AddTriage(configuration)
            .AddNotifications(configuration)
            .AddRetention(configuration)
            .AddSources()
            .AddExamCalendar()
            .AddStatistics(statisticsNames);
    }

    /// <summary>
    /// The store: section <c>Storage</c> (SQLite in the data directory, or PostgreSQL), the data directory, the database
    /// with its audit chain anchored there, the audit log and the clock.
    /// </summary>
    public static IServiceCollection AddWatchStore(this IServiceCollection services, IConfiguration configuration, DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(data);
        services.AddValidatedOptions<StorageOptions>(configuration, Sections.Storage);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(data);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<WatchMetrics>();
        return data.AddWatchDatabase(services);
    }

    /// <summary>Staff accounts and roles in the store (password rules, lockout); signing in and token providers are the web host's.</summary>
    public static IServiceCollection AddStaffAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(StaffAccounts.Configure)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WatchDbContext>();
        return services;
    }

    /// <summary>The rules in force (edited in the dashboard or imported), the detector they make, and section <c>Detection</c>.</summary>
    public static IServiceCollection AddDetectionRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DetectionOptions>(configuration, Sections.Detection);
        services.AddSingleton<RuleBook>();
        // Detection follows the rules in force, not the lexicon read at start.
        services.AddTransient(sp => sp.GetRequiredService<RuleBook>().Detector);
        return services;
    }

    /// <summary>Ingestion of crawled posts: detection, alerts with their audit entry, the crawl state per thread.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddScoped<PostIngestor>();
        services.AddScoped<Chat.ChatImporter>();
        services.AddScoped<DbCrawlState>();
        return services;
    }

    /// <summary>
    /// Crawls of registered sources and their schedules (the host supplies the <see cref="ICrawlJobs"/>); on PostgreSQL
    /// the per-host politeness of every worker is shared through the store (<see cref="PostgresHostSchedule"/>).
    /// </summary>
    public static IServiceCollection AddCrawling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddScoped<SourceCrawl>();
        services.AddScoped<CrawlSchedules>();
        services.AddSingleton<CrawlLeases>();
        if (configuration.GetSection(Sections.Storage).Get<StorageOptions>() is { Provider: StorageProvider.PostgreSql })
        {
            services.AddSingleton(sp => Npgsql.NpgsqlDataSource.Create(sp.GetRequiredService<StorageOptions>().EffectiveConnectionString()!));
            services.AddSingleton<Crawler.Fetching.ISharedHostSchedule, PostgresHostSchedule>();
        }

        return services;
    }

    /// <summary>
    /// Index sync: the outbox worker, its signal and status, and section <c>Indexing</c>. Hosts that do the jobs run the
    /// worker (<c>AddHostedService(sp =&gt; sp.GetRequiredService&lt;IndexingWorker&gt;())</c>); the others only signal it.
    /// </summary>
    public static IServiceCollection AddIndexSync(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<IndexingOptions>(configuration, Sections.Indexing);
        services.AddSingleton<IndexingSignal>();
        services.AddSingleton<IndexingStatus>();
        services.AddSingleton<IndexingWorker>();
        return services;
    }

    /// <summary>Triage (single and bulk) and the time limits of section <c>Sla</c>.</summary>
    public static IServiceCollection AddTriage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<SlaOptions>(configuration, Sections.Sla);
        services.AddScoped<AlertTriage>();
        return services;
    }

    /// <summary>
    /// Notifications: the targets of section <c>Notifications</c>, merged per scope with those saved on the settings
    /// page (secrets decrypted with the host's data protection), the notifier, its HTTP client and the outbox.
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        // The configured targets are validated like every section, but NotificationOptions itself is the per-scope merge
        // with the settings page, so only IOptions holds the configured value.
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(Sections.Notifications)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new ConfiguredNotifications(sp.GetRequiredService<IOptions<NotificationOptions>>().Value));
        services.AddScoped(sp => NotificationSettings.Load(
            sp.GetRequiredService<WatchDbContext>(),
            sp.GetRequiredService<ConfiguredNotifications>().Options,
            sp.GetRequiredService<IDataProtectionProvider>().CreateProtector(NotificationSettings.SecretPurpose)));
        services.AddScoped<AlertNotifier>();
        services.AddScoped<NotificationOutbox>();
        AlertNotifier.AddHttpClient(services);
        return services;
    }

    /// <summary>The retention policy and section <c>Retention</c>.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RetentionOptions>(configuration, Sections.Retention);
        services.AddScoped<RetentionPolicy>();
        return services;
    }

    /// <summary>Sources and their authorisations.</summary>
    public static IServiceCollection AddSources(this IServiceCollection services)
    {
        services.AddScoped<SourceRegistry>();
        return services;
    }

    /// <summary>The exam calendar.</summary>
    public static IServiceCollection AddExamCalendar(this IServiceCollection services)
    {
        services.AddScoped<Calendar.ExamCalendar>();
        return services;
    }

    /// <summary>Alert statistics, named in the words <paramref name="names"/> gives (the host's language).</summary>
    public static IServiceCollection AddStatistics(this IServiceCollection services, StatisticsNames? names = null)
    {
        services.AddScoped(sp => new AlertStatistics(sp.GetRequiredService<WatchDbContext>(), names));
        return services;
    }

    /// <summary>
    /// Binds section <paramref name="section"/> to <typeparamref name="T"/>, validated at start (annotations and
    /// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>, messages naming the setting), and registers the value.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services;
    }
}
