using System.Diagnostics;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>Runs the built <c>examnetwatch</c> executable as a user would, capturing its output and exit code.</summary>
public static class ExamNetWatchProcess
{
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>
    /// Starts it with <paramref name="environment"/> added, without waiting: for servers a test stops or kills itself.
    /// Its standard output and error go to <paramref name="output"/> (read as they come, so the pipes never fill).
    /// </summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, System.Text.StringBuilder output, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(output);
        var start = Info(environment, args);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs it with <paramref name="environment"/> added to this process's environment.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Info(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "examnetwatch"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
