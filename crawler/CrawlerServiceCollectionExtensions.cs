using System.Net;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Crawling;
using ExamNetWatch.Crawler.Fetching;
using Microsoft.Extensions.DependencyInjection;

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
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Redirects are followed by the fetcher itself, so each target is checked against the scope.
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddSingleton<IPageFetcher, PageFetcher>();
        services.AddSingleton<ICaptureStore>(_ => new FileCaptureStore(captureRoot));
        services.AddTransient<ForumCrawler>();
        services.AddSingleton(TimeProvider.System);
        return services;
    }
}
