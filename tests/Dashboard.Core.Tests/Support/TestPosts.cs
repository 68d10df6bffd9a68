using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Crawling;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>Posts as the crawler hands them to ingest, for tests that need posts without crawling a forum.</summary>
public static class TestPosts
{
    /// <summary>A crawled post whose text is <paramref name="text"/>; its capture points at <paramref name="warcFile"/>, which need not exist.</summary>
    public static CrawledPost Crawled(int sourceId, string threadId, string postId, string text, string title = "帖子", int floor = 1, string author = "u", string warcFile = "f.warc.gz") =>
        new(
            CrawledPost.MakeStableId(sourceId, threadId, postId),
            sourceId,
            threadId,
            postId,
            new Uri($"http://127.0.0.1/t/{threadId}"),
            title,
            author,
            floor,
            null,
            text,
            text,
            TimeProvider.System.GetUtcNow(),
            new CaptureRef("sha", warcFile, 0, 1, "urn:uuid:" + Guid.NewGuid()));
}
