using ExamNetWatch.Crawler;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// The one composition root: what <c>serve</c>, <c>demo</c> and every command-line verb share — the core, the crawler,
/// the indexer and evidence on a data directory, configured from appsettings, the environment and the command line.
/// <see cref="AppHost"/> adds the web front and the job server on top; <see cref="CliHost"/> runs verbs on it.
/// </summary>
public static class Composition
{
    /// <summary>Adds everything but the web front and the job server, for the data directory <paramref name="data"/>.</summary>
    /// <param name="capturesPath">Where crawls keep their WARC captures; default: the data directory's.</param>
    public static IServiceCollection AddExamNetWatch(this IServiceCollection services, IConfiguration configuration, DataDirectory data, string? capturesPath = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(data);
        services.AddSingleton(TimeProvider.System);
        // Sign-in cookies, antiforgery tokens and the notification secrets stay readable across restarts and by every
        // process on the same data directory.
        // With Storage:KeysCertificatePath the key ring is encrypted at rest to that certificate (a certificate that will
        // not load is refused at start by the Storage options' validation, naming the setting).
        var protection = services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(data.InstallationKeysPath)).SetApplicationName("ExamNetWatch");
        if (configuration.GetSection("Storage").Get<StorageOptions>()?.TryLoadKeysCertificate() is { } certificate)
        {
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        // Rooms below first: the core's registrations build on theirs and win where both name a service (detection
        // follows the rules in force, not the lexicon the indexer read at start).
        services.AddCrawler(capturesPath ?? data.CapturesPath);
        services.AddValidatedOptions<Indexer.Indexing.IndexOptions>(configuration, "Index");
        services.AddIndexer(data.IndexPath, data.LexiconPath);
        services.AddSingleton(new IndexCommitHook(() => Crawler.Faults.KillPoint.Reach("index.before-commit")));
        services.AddWatchCore(configuration, data, Rendering.Labels.StatisticsNames);
        new IdentityBuilder(typeof(StaffUser), typeof(IdentityRole), services).AddDefaultTokenProviders();
        services.AddScoped<AccountBootstrap>();
        services.AddEvidence(configuration);
        services.AddSingleton<Localization.UiText>();
        return services;
    }
}
