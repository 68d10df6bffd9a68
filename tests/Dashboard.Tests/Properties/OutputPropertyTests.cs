using System.IO.Compression;
using System.Text;
using CsCheck;
using ExamNetWatch.Dashboard.Cli;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Notifications;

namespace ExamNetWatch.Dashboard.Tests.Properties;

/// <summary>Generated hostile input (CsCheck, 1,000 inputs a property) for what leaves the system: terminals, robots, the verifier.</summary>
public sealed class OutputPropertyTests
{
    private const int Iterations = 1_000;

    private static Gen<string> Hostile { get; } = Gen.String[Gen.Char["\u001b[]0;\u0007\u009b\r\n\t\u202E\u2066\u2028@<>*_`#!()|~=-.\\中考答案aZ09 "], 0, 80];

    [Fact]
    public void TerminalText_AnyText_LeavesNothingATerminalActsOn()
    {
        Hostile.Sample(text =>
        {
            var clean = TerminalText.Clean(text);
            Assert.DoesNotContain(clean, c => char.IsControl(c) || c is '\u202E' or '\u2066' or '\u2028');
        }, iter: Iterations);
    }

    [Fact]
    public void RobotMarkdown_AnyTitle_NoMentionTagOrUnescapedSign()
    {
        Hostile.Sample(text =>
        {
            var markdown = AlertNotifier.Markdown(text);
            Assert.DoesNotContain(markdown, c => c is '@' or '<' or '>' || char.IsControl(c));
            for (var i = 0; i < markdown.Length; i++)
            {
                if ("`*_[]()#!|~".Contains(markdown[i], StringComparison.Ordinal))
                {
                    Assert.True(i > 0 && markdown[i - 1] == '\\', $"'{markdown[i]}' at {i} of {markdown} is not escaped");
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Verifier_RandomPackages_AlwaysAnswersAndNeverHolds()
    {
        string[] names = [EvidenceFiles.Manifest, EvidenceFiles.Signature, EvidenceFiles.Timestamp, EvidenceFiles.Custody, EvidenceFiles.Warc, EvidenceFiles.Report, "posts/alert-1.json", "screenshots/alert-1.png", "../x", "posts/", "MANIFEST.JSON"];
        string[] contents = ["{}", "{\"format\":\"examnetwatch-evidence/1\",\"case\":\"A1\",\"alerts\":[1],\"files\":[{\"name\":\"posts/alert-1.json\",\"sha256\":\"00\",\"bytes\":2}]}", "{\"alert\":{\"id\":1},\"post\":{\"url\":\"http://x/\"}}", "{\"entries\":[{}]}", "not json", "", "\u001f\u008b\u0008garbage"];
        var entries = Gen.Select(Gen.Int[0, names.Length - 1], Gen.Int[0, contents.Length - 1], Gen.Byte.Array[0, 64]).Array[0, 8];

        entries.Sample(chosen =>
        {
            using var zip = new MemoryStream();
            using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, content, noise) in chosen)
                {
                    using var stream = archive.CreateEntry(names[name]).Open();
                    stream.Write(Encoding.UTF8.GetBytes(contents[content]));
                    stream.Write(noise);
                }
            }

            zip.Position = 0;
            var report = EvidenceVerifier.Verify(zip, VerificationTrust.None);
            Assert.False(report.Holds);
            Assert.NotEmpty(report.Failures);
        }, iter: Iterations);
    }
}
