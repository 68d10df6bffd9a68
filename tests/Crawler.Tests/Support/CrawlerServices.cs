using ExamNetWatch.Crawler.Fetching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Crawler.Tests.Support;

/// <summary>The crawler room wired as the host wires it, with fast retries and a temporary capture folder.</summary>
public sealed class CrawlerServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public CrawlerServices(Action<FetcherOptions>? configure = null, TimeProvider? time = null, Action<ExamNetWatch.Crawler.Crawling.CrawlerOptions>? crawler = null)
    {
        CaptureRoot = Path.Combine(Path.GetTempPath(), "enw-captures-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddCrawler(CaptureRoot);
        services.Configure<FetcherOptions>(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.PerHostDelay = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        if (crawler is not null)
        {
            services.Configure(crawler);
        }

        _provider = services.BuildServiceProvider();
    }

    public string CaptureRoot { get; }

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose()
    {
        _provider.Dispose();
        if (Directory.Exists(CaptureRoot))
        {
            Directory.Delete(CaptureRoot, recursive: true);
        }
    }
}
