using System.Diagnostics;
using System.Globalization;

namespace ExamNetWatch.Crawler.Faults;

/// <summary>
/// Named points where the reliability suite kills the process (SIGKILL, nothing flushed) to prove that every step
/// recovers: <c>EXAMNETWATCH_KILL_AT=name:n</c> kills it the n-th time <c>name</c> is reached (n defaults to 1).
/// Without that variable — in every normal run — <see cref="Reach"/> does nothing but compare a null.
/// </summary>
public static class KillPoint
{
    /// <summary>The environment variable that arms one point.</summary>
    public const string Variable = "EXAMNETWATCH_KILL_AT";

    private static readonly (string Name, int Count)? Armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _reached;

    /// <summary>Marks that <paramref name="name"/> is reached; kills the process if it is the armed point's n-th time.</summary>
    /// <param name="name">The point's name.</param>
    /// <param name="beforeKill">Runs just before the kill, to put on disk what a crash there would leave (e.g. half a record).</param>
    public static void Reach(string name, Action? beforeKill = null)
    {
        if (Armed is not { } armed || !string.Equals(armed.Name, name, StringComparison.Ordinal) || Interlocked.Increment(ref _reached) != armed.Count)
        {
            return;
        }

        beforeKill?.Invoke();
        Console.Error.WriteLine(FormattableString.Invariant($"{Variable}: killed at {name} ({armed.Count})"));
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        // Kill sends SIGKILL; nothing after it runs.
        Thread.Sleep(Timeout.Infinite);
    }

    private static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? (value[..colon], n)
            : (value, 1);
    }
}
