namespace ExamNetWatch.Indexer.Tests.Support;

/// <summary>
/// Ordinary Chinese text no one here wrote: Debian's fortunes-zh (sayings, Tang and Song poems), which tests/run-all.sh
/// installs. A missing file fails the test that reads it instead of silently shrinking what it checks.
/// </summary>
public static class DebianFortunes
{
    private static readonly string[] Files = ["chinese", "tang300", "song100"];

    /// <summary>Every fortune of the three files, in order.</summary>
    public static List<string> All()
    {
        var paths = Files.Select(f => Path.Combine("/usr/share/games/fortunes", f)).ToList();
        Assert.All(paths, f => Assert.True(File.Exists(f), f + " is missing: install Debian's fortunes-zh (tests/run-all.sh does)"));
        var fortunes = paths.SelectMany(f => File.ReadAllText(f).Split("\n%\n")).ToList();
        Assert.True(fortunes.Count >= 1000, $"only {fortunes.Count} fortunes read");
        return fortunes;
    }
}
