namespace ExamNetWatch.Dashboard;

internal static partial class Log
{
    [LoggerMessage(2, LogLevel.Warning, "Source {SourceId} not crawled: {Reason}")]
    public static partial void CrawlRefused(ILogger logger, int sourceId, string reason);

    [LoggerMessage(3, LogLevel.Information, "Crawl of source {SourceId} done: {Pages} pages, {NewPosts} new posts, {NewAlerts} new alerts, {Failures} failures")]
    public static partial void CrawlDone(ILogger logger, int sourceId, int pages, int newPosts, int newAlerts, int failures);

    [LoggerMessage(4, LogLevel.Information, "Demo forum published post {PostId} in thread {ThreadId}")]
    public static partial void DemoPublished(ILogger logger, int postId, int threadId);

    [LoggerMessage(22, LogLevel.Warning, "Stopping took longer than 15 s: jobs still running were abandoned (their committed steps are kept)")]
    public static partial void StopTimedOut(ILogger logger);
}
