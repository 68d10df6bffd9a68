using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Rules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Rules;

/// <summary>Rules edited in the dashboard or imported elsewhere: checked whole, written, and used by detection at once.</summary>
public sealed class RuleBookTests : IDisposable
{
    private const string Post = "出售作弊橡皮，加微信 xiangpi2026";
    private readonly DataDirectory _data = new(Path.Combine(Path.GetTempPath(), "enw-rulebook-" + Guid.NewGuid().ToString("N")));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Add_NewTerm_DetectionUsesItAtOnce()
    {
        var book = NewBook();
        Assert.DoesNotContain(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");

        var change = book.Add(RuleBook.TermsFile, ["device", "作弊橡皮", "0.5"]);

        Assert.Equal(["作弊橡皮"], change.Added);
        Assert.Contains(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");
        Assert.True(book.Installed);
        Assert.Contains("device\t作弊橡皮\t0.5", File.ReadAllText(Path.Combine(_data.LexiconPath, RuleBook.TermsFile)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gadget", "作弊橡皮", "0.5", "unknown category")]
    [InlineData("device", "作弊橡皮", "1.5", "weight")]
    [InlineData("device", "作弊\t橡皮", "0.5", "制表符")]
    public void Add_MalformedTerm_RefusedAndNothingIsWritten(string kind, string term, string weight, string expected)
    {
        var book = NewBook();

        var error = Assert.Throws<FormatException>(() => book.Add(RuleBook.TermsFile, [kind, term, weight]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_data.LexiconPath));
        Assert.DoesNotContain(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");
    }

    [Fact]
    public void Add_PatternThatDoesNotCompile_RefusedNamingTheFile()
    {
        var error = Assert.Throws<FormatException>(() => NewBook().Add(RuleBook.PatternsFile, ["device", "坏模式", "0.5", "(unclosed"]));

        Assert.Contains("patterns.tsv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_LineChangedSinceItWasShown_Refused()
    {
        var book = NewBook();
        var line = book.Lines(RuleBook.TermsFile)[0];

        Assert.Throws<FormatException>(() => book.Remove(RuleBook.TermsFile, line.Number, line.Raw + "x"));
        var change = book.Remove(RuleBook.TermsFile, line.Number, line.Raw);

        Assert.Contains(line.Term, change.Removed);
        Assert.DoesNotContain(book.Lines(RuleBook.TermsFile), l => l.Raw == line.Raw);
    }

    [Fact]
    public void Detector_FilesChangedByAnotherProcess_ReloadedAfterTheCheckInterval()
    {
        var book = NewBook();
        var other = NewBook();
        _ = book.Detector;

        other.Add(RuleBook.TermsFile, ["device", "作弊橡皮", "0.5"]);

        Assert.DoesNotContain(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");
        _time.Advance(RuleBook.CheckInterval);
        Assert.Contains(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");
    }

    [Fact]
    public void Detector_FilesBrokenByHand_KeepsTheRulesThatWorked()
    {
        var book = NewBook();
        book.Add(RuleBook.TermsFile, ["device", "作弊橡皮", "0.5"]);

        File.AppendAllText(Path.Combine(_data.LexiconPath, RuleBook.TermsFile), "device\tbroken line without weight\n");
        _time.Advance(RuleBook.CheckInterval);

        Assert.Contains(book.Detector.Detect(null, Post).Matches, m => m.Term == "作弊橡皮");
    }

    public void Dispose()
    {
        if (Directory.Exists(_data.Root))
        {
            Directory.Delete(_data.Root, recursive: true);
        }
    }

    private RuleBook NewBook() => new(_data, _time, NullLogger<RuleBook>.Instance);
}
