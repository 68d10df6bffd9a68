using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Reports;
using Microsoft.Extensions.Configuration;

namespace ExamNetWatch.Dashboard;

/// <summary>Registers evidence packages and the special-check report.</summary>
public static class EvidenceServiceCollectionExtensions
{
    /// <summary>The configuration section of <see cref="EvidenceOptions"/>.</summary>
    public const string Section = "Evidence";

    /// <summary>The HTTP client of the timestamp authority.</summary>
    public const string TsaClient = "tsa";

    /// <summary>
    /// Adds section <c>Evidence</c> (validated at start), the Chromium renderer, the optional RFC 3161 TSA, the signing
    /// key of the data directory, the collector and exporter of packages, and the special-check report.
    /// </summary>
    public static IServiceCollection AddEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EvidenceOptions>(configuration, Section);
        services.AddSingleton<IPageRenderer>(sp => new ChromiumPageRenderer(sp.GetRequiredService<EvidenceOptions>().ChromiumPath));
        services.AddHttpClient(TsaClient, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton(sp => EvidenceSigningKey.LoadOrCreate(sp.GetRequiredService<DataDirectory>().InstallationKeysPath));
        services.AddScoped<EvidenceCollector>();
        services.AddScoped(sp => new EvidenceExporter(
            sp.GetRequiredService<WatchDbContext>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<IPageRenderer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<EvidenceOptions>().TsaUrl is { } tsa ? new TimestampAuthority(sp.GetRequiredService<IHttpClientFactory>().CreateClient(TsaClient), tsa) : null,
            sp.GetRequiredService<EvidenceSigningKey>(),
            sp.GetRequiredService<EvidenceOptions>()));
        services.AddScoped<SpecialCheckReport>();
        return services;
    }
}
