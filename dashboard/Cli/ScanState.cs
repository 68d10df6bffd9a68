using System.Text.Json;
using ExamNetWatch.Crawler.Crawling;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// What <c>scan</c> remembers in its capture folder (<c>scan-state.jsonl</c>), so a scan run again with the same
/// <c>--capture-dir</c> resumes: unchanged threads are not read again, a thread goes on from its last page, and a
/// board's sweep carries on where the last run stopped. One JSON line per saved step, appended and flushed (a
/// killed scan loses at most the step it was in); the last line for a thread or board wins. A damaged line (a
/// run killed while writing it) is skipped.
/// </summary>
internal sealed class ScanState : ICrawlState, IDisposable
{
    /// <summary>The file's name inside the capture folder.</summary>
    public const string FileName = "scan-state.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, ThreadProgress> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BoardProgress> _boards = new(StringComparer.Ordinal);
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();

    private ScanState(string path)
    {
        if (File.Exists(path))
        {
            foreach (var line in File.ReadLines(path))
            {
                Replay(line);
            }
        }

        _log = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    /// <summary>Gets whether an earlier scan left anything to resume from.</summary>
    public bool Resumed => _threads.Count > 0 || _boards.Count > 0;

    /// <summary>Gets the number of threads and boards remembered.</summary>
    public (int Threads, int Boards) Known => (_threads.Count, _boards.Count);

    /// <summary>Opens (or starts) the state of the scan whose captures are in <paramref name="folder"/>.</summary>
    public static ScanState Open(string folder)
    {
        Directory.CreateDirectory(folder);
        return new ScanState(Path.Combine(folder, FileName));
    }

    public Task<ThreadProgress?> GetThreadAsync(int sourceId, string threadId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_threads.GetValueOrDefault(threadId));
        }
    }

    public Task SaveThreadAsync(int sourceId, ThreadProgress state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        Append(new Line("thread", state, null), () => _threads[state.ThreadId] = state);
        return Task.CompletedTask;
    }

    public Task<BoardProgress?> GetBoardAsync(int sourceId, string boardUrl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_boards.GetValueOrDefault(boardUrl));
        }
    }

    public Task SaveBoardAsync(int sourceId, BoardProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Append(new Line("board", null, progress), () => _boards[progress.BoardUrl] = progress);
        return Task.CompletedTask;
    }

    public void Dispose() => _log.Dispose();

    private void Append(Line line, Action remember)
    {
        lock (_gate)
        {
            _log.WriteLine(JsonSerializer.Serialize(line, Json));
            remember();
        }
    }

    private void Replay(string text)
    {
        try
        {
            switch (JsonSerializer.Deserialize<Line>(text, Json))
            {
                case { Kind: "thread", Thread: { } thread }:
                    _threads[thread.ThreadId] = thread;
                    break;
                case { Kind: "board", Board: { } board }:
                    _boards[board.BoardUrl] = board;
                    break;
            }
        }
        catch (JsonException)
        {
            // The last line of a killed scan may be cut short: that step is read again.
        }
    }

    private sealed record Line(string Kind, ThreadProgress? Thread, BoardProgress? Board);
}
