using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Detection.Concepts;

namespace ExamNetWatch.Indexer.Tests.Detection.Concepts;

/// <summary>Combination rules: the file format, the window, and which words can meet a group.</summary>
public sealed class CombinationRuleTests
{
    // The shipped terms, though these tests do not need them: jieba's dictionary is process-wide and takes the terms of
    // the first detector built as its user words, and other tests rely on them.
    private static readonly IReadOnlyList<LexiconEntry> Terms = Lexicon.LoadDefault().Terms;

    private static Lexicon WithRule(string line) => new(
        Terms.Where(t => t.Term is not ("答案" or "四级")),
        [new("object", "答案", 1), new("exam", "四级", 1), new("offer", "出售", 0.2), new("device", "无线", 1), new("device_trait", "无线", 1)],
        combinations: [.. CombinationRule.Parse(new StringReader(line), "combinations.tsv")]);

    [Fact]
    public void Parse_UnknownClass_FailsNamingTheLineAndTheClass()
    {
        var error = Assert.Throws<FormatException>(() =>
            CombinationRule.Parse(new StringReader("# rules\npaper_leak\tok\t0.5\t20\tobject exam\npaper_leak\tbad\t0.5\t20\tobject examz\n"), "combinations.tsv").ToList());

        Assert.Contains("combinations.tsv line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("examz", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("paper_leak\tx\t1.5\t20\tobject")]
    [InlineData("paper_leak\tx\t0.5\t-1\tobject")]
    [InlineData("paper_leak\ttwo words\t0.5\t20\tobject")]
    [InlineData("paper_leak\tx\t0.5\t20\t")]
    public void Parse_MalformedLine_Fails(string line)
    {
        Assert.Throws<FormatException>(() => CombinationRule.Parse(new StringReader(line), "combinations.tsv").ToList());
    }

    [Fact]
    public void Detect_WordsWithinTheWindow_FireTheRule_AndFarApart_DoNot()
    {
        var detector = new PostDetector(WithRule("paper_leak\tsale\t0.6\t12\tobject exam offer"));

        var near = detector.Detect(null, "出售四级答案");
        var far = detector.Detect(null, "出售旧书一批，都是九成新的，下学期还要考四级，顺便问问谁有答案");

        Assert.Contains(near.Explanations, e => e.Rule == "combination" && e.Detail.Contains("sale", StringComparison.Ordinal));
        Assert.DoesNotContain(far.Explanations, e => e.Rule == "combination");
    }

    [Fact]
    public void Detect_OneWordOfTwoClasses_MeetsOnlyOneGroup()
    {
        var detector = new PostDetector(WithRule("device\tdescribed\t0.6\t12\tdevice device_trait"));

        Assert.DoesNotContain(detector.Detect(null, "无线网络").Explanations, e => e.Rule == "combination");
        Assert.Contains(detector.Detect(null, "无线的无线").Explanations, e => e.Rule == "combination");
    }

    [Fact]
    public void Detect_ContactGroup_IsMetByAContactAnywhereInThePost()
    {
        var lexicon = new Lexicon(
            Terms,
            [new("object", "答案", 1)],
            combinations: [.. CombinationRule.Parse(new StringReader("paper_leak\tcontactable\t0.6\t10\tobject contact"), "combinations.tsv")]);
        var result = new PostDetector(lexicon).Detect(null, "答案有的，明天上午九点以后再说，有事请找我，QQ 28733411");

        Assert.Contains(result.Explanations, e => e.Rule == "combination" && e.Detail.Contains("联系方式", StringComparison.Ordinal));
    }
}
