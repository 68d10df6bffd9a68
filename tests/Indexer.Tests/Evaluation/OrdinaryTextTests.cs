using System.Net;
using System.Text.RegularExpressions;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Evaluation;

/// <summary>
/// False alarms on ordinary Chinese text no one here wrote: Debian's Chinese reference manual (debian-reference-zh-cn)
/// and the Chinese fortunes (fortunes-zh: Debian sayings, Tang and Song poems), installed by tests/run-all.sh.
/// </summary>
public sealed partial class OrdinaryTextTests
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());

    [Fact]
    public void Detect_DebianReferenceAndFortunes_RaiseNoAlert()
    {
        var paragraphs = DebianReference().Concat(Fortunes()).Where(p => p.Count(TextNormaliser.IsHan) >= 10).ToList();
        Assert.True(paragraphs.Count > 3000, $"only {paragraphs.Count} paragraphs: are debian-reference-zh-cn and fortunes-zh installed?");

        var alarms = paragraphs.Where(p => Detector.Detect(null, p).IsAlert).ToList();

        Assert.True(alarms.Count == 0, $"{alarms.Count} false alarms in {paragraphs.Count} paragraphs: {string.Join(" | ", alarms.Take(5))}");
    }

    private static IEnumerable<string> DebianReference() =>
        Directory.EnumerateFiles("/usr/share/debian-reference", "*.zh-cn.html")
            .SelectMany(f => Paragraph().Matches(File.ReadAllText(f)).Select(m => WebUtility.HtmlDecode(Tag().Replace(m.Groups[1].Value, " "))));

    private static List<string> Fortunes() => Support.DebianFortunes.All();

    [GeneratedRegex("<p>(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex Paragraph();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
