using System.Diagnostics;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A PDF's text as Debian's pdftotext (poppler-utils) reads it: what a reader searching the file finds.</summary>
public static class PdfText
{
    public static async Task<string> ReadAsync(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", path, "-"]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return text;
    }
}
