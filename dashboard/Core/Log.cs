namespace ExamNetWatch.Dashboard;

/// <summary>Every log message of the core, with its event id (unique in the core; the host's own start at 100).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Alert {AlertId} raised ({Severity}) for post {PostId}")]
    public static partial void AlertRaised(ILogger logger, long alertId, string severity, string postId);

    [LoggerMessage(2, LogLevel.Warning, "Source {SourceId} not crawled: {Reason}")]
    public static partial void CrawlRefused(ILogger logger, int sourceId, string reason);

    [LoggerMessage(3, LogLevel.Information, "Crawl of source {SourceId} done: {Pages} pages, {NewPosts} new posts, {NewAlerts} new alerts, {Failures} failures")]
    public static partial void CrawlDone(ILogger logger, int sourceId, int pages, int newPosts, int newAlerts, int failures);

    [LoggerMessage(20, LogLevel.Information, "Detection rules reloaded from {Path}")]
    public static partial void RulesReloaded(ILogger logger, string path);

    [LoggerMessage(21, LogLevel.Error, "Detection rules in {Path} were not reloaded; the previous rules stay in force")]
    public static partial void RulesNotReloaded(ILogger logger, Exception exception, string path);

    [LoggerMessage(30, LogLevel.Warning, "Notification of alert {AlertId} failed (attempt {Attempts}); next try in {Wait}")]
    public static partial void NotificationWaiting(ILogger logger, long alertId, int attempts, TimeSpan wait);

    [LoggerMessage(31, LogLevel.Warning, "Notification of alert {AlertId} to {Target} failed: {Error}")]
    public static partial void NotificationFailed(ILogger logger, long alertId, string target, string error);

    [LoggerMessage(40, LogLevel.Warning, "Index unavailable: {Count} outbox entries put back for {Wait}: {Error}")]
    public static partial void IndexBatchFailed(ILogger logger, int count, TimeSpan wait, string error);

    [LoggerMessage(41, LogLevel.Warning, "Draining the index outbox failed")]
    public static partial void IndexDrainFailed(ILogger logger, Exception exception);

    [LoggerMessage(50, LogLevel.Warning, "Alert {AlertId} is saved but was not announced to the live queues: {Error}")]
    public static partial void AlertNotNotified(ILogger logger, long alertId, string error);

    [LoggerMessage(51, LogLevel.Warning, "Live alerts from other processes paused: the PostgreSQL connection was lost ({Error}); trying again in {Wait}")]
    public static partial void AlertListenerLost(ILogger logger, TimeSpan wait, string error);

    [LoggerMessage(52, LogLevel.Warning, "A live alert announcement could not be read: {Error}")]
    public static partial void AlertPayloadUnreadable(ILogger logger, string error);

    [LoggerMessage(53, LogLevel.Information, "Crawl of source {SourceId} not started: {Owner} is crawling it and renewed its lease")]
    public static partial void CrawlAlreadyRunning(ILogger logger, int sourceId, string owner);

    [LoggerMessage(54, LogLevel.Warning, "The crawl lease of source {SourceId} could not be renewed: {Error}")]
    public static partial void CrawlLeaseRenewalFailed(ILogger logger, int sourceId, string error);

    [LoggerMessage(55, LogLevel.Warning, "The crawl lease of source {SourceId} was lost (another process holds it, or it lapsed): this crawl stops")]
    public static partial void CrawlLeaseLost(ILogger logger, int sourceId);

    [LoggerMessage(56, LogLevel.Information, "Post {PostId} was stored by another process at the same moment; this copy is dropped")]
    public static partial void PostStoredElsewhere(ILogger logger, string postId);
}
