using System.Collections.Concurrent;
using ExamNetWatch.Crawler.Crawling;

namespace ExamNetWatch.Crawler.Tests.Support;

/// <summary>The crawl's memory kept in memory, as the host keeps it in its database: threads and board sweeps.</summary>
internal sealed class MemoryState : ICrawlState
{
    private readonly ConcurrentDictionary<(int, string), ThreadProgress> _threads = new();
    private readonly ConcurrentDictionary<(int, string), BoardProgress> _boards = new();

    public Task<ThreadProgress?> GetThreadAsync(int sourceId, string threadId, CancellationToken cancellationToken) =>
        Task.FromResult(_threads.TryGetValue((sourceId, threadId), out var t) ? t : null);

    public Task SaveThreadAsync(int sourceId, ThreadProgress state, CancellationToken cancellationToken)
    {
        _threads[(sourceId, state.ThreadId)] = state;
        return Task.CompletedTask;
    }

    public Task<BoardProgress?> GetBoardAsync(int sourceId, string boardUrl, CancellationToken cancellationToken) =>
        Task.FromResult(_boards.TryGetValue((sourceId, boardUrl), out var b) ? b : null);

    public Task SaveBoardAsync(int sourceId, BoardProgress progress, CancellationToken cancellationToken)
    {
        _boards[(sourceId, progress.BoardUrl)] = progress;
        return Task.CompletedTask;
    }
}
