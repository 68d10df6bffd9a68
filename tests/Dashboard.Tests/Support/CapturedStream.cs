namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A response body a test reads while the live queue (or any writer) is still writing it.</summary>
public sealed class CapturedStream : MemoryStream
{
    private readonly Lock _gate = new();

    public string Text()
    {
        lock (_gate)
        {
            return System.Text.Encoding.UTF8.GetString(ToArray());
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, offset, count);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            base.Write(buffer.Span);
        }

        return ValueTask.CompletedTask;
    }
}
