using ExamNetWatch.Dashboard.Notifications;
using Hangfire;

namespace ExamNetWatch.Dashboard.Jobs;

/// <summary>The Hangfire job that drains the notification outbox: right after an alert commits, and every minute.</summary>
public sealed class NotificationDrainJob(NotificationOutbox outbox)
{
    /// <summary>The recurring job that drains what an immediate drain did not.</summary>
    public const string RecurringId = "notification-outbox";

    /// <summary>
    /// Sends every notification that is due (the outbox retries with its own back-off, so Hangfire does not). Drains run
    /// side by side on any number of workers without a Hangfire lock: each leases its own rows of the outbox, so none is
    /// sent twice, and a killed worker's lock cannot hold the others' notifications back.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task<int> DrainAsync(CancellationToken cancellationToken) => outbox.DrainAsync(cancellationToken);
}

/// <summary>Queues <see cref="NotificationDrainJob"/> on Hangfire when ingestion asks for a drain.</summary>
public sealed class HangfireNotificationDrain(IBackgroundJobClient jobs) : INotificationDrain
{
    /// <inheritdoc />
    public void DrainSoon() => jobs.Enqueue<NotificationDrainJob>(j => j.DrainAsync(CancellationToken.None));
}
