using ExamNetWatch.Dashboard.Retention;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>The Hangfire job that runs the retention policy on its schedule (daily, 03:30 Beijing time by default).</summary>
public sealed class RetentionJob(RetentionPolicy policy)
{
    /// <summary>The recurring job's id.</summary>
    public const string RecurringId = "retention";

    /// <summary>Runs the policy once.</summary>
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    [AutomaticRetry(Attempts = 1)]
    public Task<RetentionReport> RunAsync(CancellationToken cancellationToken) => policy.RunAsync(cancellationToken);
}
