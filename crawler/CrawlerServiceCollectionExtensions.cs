using System.Net;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Fetching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Crawler;

/// <summary>Registers the crawler room.</summary>
public static class CrawlerServiceCollectionExtensions
{
    /// <summary>Adds the fetcher, the capture store under <paramref name="captureRoot"/> and the forum crawler.</summary>
    public static IServiceCollection AddCrawler(this IServiceCollection services, string captureRoot)
    {
        services.AddOptions<FetcherOptions>().BindConfiguration("Crawler:Fetcher").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CrawlerOptions>().BindConfiguration("Crawler").ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(PageFetcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Validation as usual; the observer remembers each host's certificate for the captures.
                SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = sp.GetRequiredService<TlsObserver>().Validate },
                // Redirects are followed by the fetcher itself, so each target is checked against the scope.
                AllowAutoRedirect = false,
                // The fetcher decompresses itself, so captures keep the Content-Encoding the server sent.
                AutomaticDecompression = DecompressionMethods.None,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = NetworkGuard.ConnectAsync,
                UseProxy = false,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<TlsObserver>();
        services.AddSingleton<PolitenessGate>();
        services.AddSingleton<RobotsCache>();
        services.AddSingleton<IPageFetcher, PageFetcher>();
        services.AddSingleton(sp => new WarcWriter(
            captureRoot,
            "ExamNetWatch",
            sp.GetRequiredService<IOptions<CaptureOptions>>().Value.MaxWarcFileBytes,
            sp.GetRequiredService<TimeProvider>(),
            "ExamNetWatch/" + typeof(PageFetcher).Assembly.GetName().Version?.ToString(3)));
        services.AddOptions<CaptureOptions>().BindConfiguration("Crawler:Capture").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ICaptureWriter>(sp => new WarcCaptureStore(sp.GetRequiredService<WarcWriter>()));
        services.AddSingleton<ICaptureReader>(_ => new WarcCaptureReader(captureRoot));
        services.AddTransient<ForumCrawler>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
