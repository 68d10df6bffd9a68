using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.Server;
using OpenTelemetry.Metrics;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// Metrics for operators (configuration section <c>Metrics</c>): <c>Metrics:Prometheus=true</c> serves every
/// ExamNetWatch meter — pages fetched and failed, posts, alerts by severity, outbox backlog, job durations — at
/// <c>Metrics:Path</c> (default <c>/metrics</c>) on every role, without sign-in, for a Prometheus scraper on the
/// cluster network (keep it off the public side of the proxy). Off by default: the embedded default serves nothing
/// it was not asked to.
/// </summary>
public sealed record MetricsOptions
{
    public bool Prometheus { get; init; }

    [System.ComponentModel.DataAnnotations.RegularExpression("^/[A-Za-z0-9/_-]*$", ErrorMessage = "Metrics:Path must be a path such as /metrics.")]
    public string Path { get; init; } = "/metrics";
}

/// <summary>The OpenTelemetry side of <see cref="MetricsOptions"/> and the Hangfire job timer.</summary>
public static class Telemetry
{
    /// <summary>The meter of job runs.</summary>
    public const string JobsMeterName = "ExamNetWatch.Jobs";

    /// <summary>Adds the meters and the Prometheus exporter when <c>Metrics:Prometheus</c> is on.</summary>
    public static void AddExamNetWatchMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration("Metrics").ValidateDataAnnotations().ValidateOnStart();
        if (configuration.GetSection("Metrics").Get<MetricsOptions>() is not { Prometheus: true })
        {
            return;
        }

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Crawler.Fetching.CrawlerMetrics.MeterName, WatchMetrics.MeterName, JobsMeterName)
            .AddView("examnetwatch.job.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.05, 0.25, 1, 5, 15, 60, 300, 900, 3600] })
            .AddPrometheusExporter());
    }

    /// <summary>Serves the scrape endpoint when <c>Metrics:Prometheus</c> is on (the backlog gauge needs its instance made).</summary>
    public static void MapExamNetWatchMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        if (!options.Prometheus)
        {
            return;
        }

        app.Services.GetRequiredService<WatchMetrics>();
        app.MapPrometheusScrapingEndpoint(options.Path).AllowAnonymous();
    }
}

/// <summary>Times every Hangfire job run: histogram <c>examnetwatch.job.duration</c> (seconds) by job class and outcome.</summary>
public sealed class JobMetricsFilter : IServerFilter
{
    private static readonly Meter Meter = new(Telemetry.JobsMeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("examnetwatch.job.duration", "s", "How long job runs took, by job and outcome");
    private const string Started = "examnetwatch.started";

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Started] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(Started, out var started) && started is long timestamp)
        {
            Duration.Record(
                Stopwatch.GetElapsedTime(timestamp).TotalSeconds,
                new KeyValuePair<string, object?>("job", context.BackgroundJob.Job.Type.Name),
                new KeyValuePair<string, object?>("outcome", context.Exception is null || context.ExceptionHandled ? "succeeded" : "failed"));
        }
    }
}
