using System.Collections.Concurrent;
using ExamNetWatch.Crawler.Crawling;

namespace ExamNetWatch.Crawler.Tests.Support;

/// <summary>A sink that keeps every post handed to it, in order of delivery.</summary>
internal sealed class ListSink : ICrawlSink
{
    private readonly ConcurrentQueue<CrawledPost> _posts = new();

    public IReadOnlyList<CrawledPost> Posts => [.. _posts];

    public Task AcceptAsync(CrawledPost post, CancellationToken cancellationToken)
    {
        _posts.Enqueue(post);
        return Task.CompletedTask;
    }
}
