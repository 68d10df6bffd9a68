using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Evaluation;

namespace ExamNetWatch.Indexer.Tests.Detection;

/// <summary>The characters a pattern needs before it runs: read conservatively, and never wrong on real text.</summary>
public sealed class PatternTriggersTests
{
    [Theory]
    [InlineData("拍(?:了|下)?卷子", "拍")]
    [InlineData("第\\s*[0-9]+\\s*题", "第")]
    [InlineData("[0-9]+\\s*(?:元|块)", "元块")]
    [InlineData("(?:题|答案)[^\\s]{0,2}传出", "传")]
    public void Of_PatternWithRequiredCharacters_ReturnsThem(string pattern, string expected)
    {
        var triggers = PatternTriggers.Of(pattern);

        Assert.NotNull(triggers);
        Assert.All(expected, c => Assert.True(triggers.Contains(c), $"{c} missing"));
    }

    [Theory]
    [InlineData("[a-d]{5}")]
    [InlineData("(?:^|\\s)[a-d]")]
    [InlineData("(?:a|\\d)b?")]
    [InlineData("\\w+")]
    public void Of_PatternWithoutACertainCharacter_ReturnsNone(string pattern)
    {
        Assert.Null(PatternTriggers.Of(pattern));
    }

    [Fact]
    public void MayMatch_ShippedPatternsOnTheCorpus_NeverSkipsAMatch()
    {
        var texts = new[] { "train.jsonl", "dev.jsonl" }
            .SelectMany(f => DetectionEvaluation.ReadFile(Path.Combine(AppContext.BaseDirectory, "Corpus", f)))
            .Select(p => TextNormaliser.Normalise(p.Text).Value).ToList();
        var patterns = Lexicon.LoadDefault().Patterns;

        var skipped = (from pattern in patterns from text in texts where !pattern.MayMatch(text) && pattern.Expression.IsMatch(text) select pattern.Label).ToList();

        Assert.Empty(skipped);
        Assert.Contains(patterns, p => p.Triggers is not null);
    }
}
