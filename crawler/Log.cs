using Microsoft.Extensions.Logging;

namespace ExamNetWatch.Crawler;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Refused {Url}: outside the authorised scope")]
    public static partial void OutOfScope(ILogger logger, Uri url);

    [LoggerMessage(2, LogLevel.Debug, "Fetched {Url}: HTTP {Status}, {Bytes} bytes")]
    public static partial void Fetched(ILogger logger, Uri url, int status, int bytes);

    [LoggerMessage(3, LogLevel.Warning, "Could not fetch {Url}; the crawl goes on")]
    public static partial void FetchFailed(ILogger logger, Uri url, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Could not parse {Url} with the {Profile} profile; kept raw, the crawl goes on")]
    public static partial void ParseFailed(ILogger logger, Uri url, string profile);

    [LoggerMessage(5, LogLevel.Information, "Crawled source {Source}: {Pages} pages, {Posts} posts, {Failures} failures")]
    public static partial void Crawled(ILogger logger, string source, int pages, int posts, int failures);

    [LoggerMessage(6, LogLevel.Warning, "Crawl of source {Source} reached {Setting} = {Value} ({Times} times): more is there than this crawl read")]
    public static partial void LimitReached(ILogger logger, string source, string setting, int value, int times);
}
