namespace ExamNetWatch.Dashboard;

/// <summary>Every log message of the host (event ids from 100; the core's are below).</summary>
internal static partial class HostLog
{
    [LoggerMessage(100, LogLevel.Information, "Demo forum published post {PostId} in thread {ThreadId}")]
    public static partial void DemoPublished(ILogger logger, int postId, int threadId);

    [LoggerMessage(101, LogLevel.Warning, "Stopping took longer than 15 s: jobs still running were abandoned (their committed steps are kept)")]
    public static partial void StopTimedOut(ILogger logger);
}
