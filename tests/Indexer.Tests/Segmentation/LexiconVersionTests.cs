using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Tests.Segmentation;

/// <summary>
/// A term an administrator adds to the rules at run time reaches jieba's dictionary and the short-word checks exactly
/// as a shipped term does, even though the shipped lexicon's segmenter was built first in the process.
/// </summary>
public sealed class LexiconVersionTests
{
    // 枪替 (a hired proxy test-taker) is in neither jieba's dictionary nor the shipped lexicon; 替考 and 考试 are in
    // jieba's, so without the new word 找枪替考试 is cut 找|枪|替考|试 or so, and the term fails the word check.
    private const string NewTerm = "枪替";
    private const string Post = "有没有找枪替考试的，价格好说";

    private static readonly Lexicon Shipped = Lexicon.LoadDefault();

    private static Lexicon WithNewTerm() => new(
        Shipped.Terms.Append(new LexiconEntry(Category.ProxyTaker, NewTerm, 0.5)),
        Shipped.Concepts,
        Shipped.Patterns,
        Shipped.Combinations,
        Shipped.Model);

    [Fact]
    public void ATwoCharacterTermAddedAtRunTime_IsADictionaryWordOfItsVersionOnly()
    {
        var shipped = ChineseSegmenter.Initialise(Shipped.Terms.Select(t => t.Term));
        var added = ChineseSegmenter.Initialise(WithNewTerm().Terms.Select(t => t.Term));

        Assert.NotSame(shipped, added);
        Assert.False(shipped.IsDictionaryWord(NewTerm));
        Assert.True(added.IsDictionaryWord(NewTerm));
        Assert.True(added.Frequency(NewTerm) > 0);
        Assert.DoesNotContain(NewTerm, shipped.Cut(Post));
        Assert.Contains(NewTerm, added.Cut(Post));

        // Asking again for either set of words gives the same segmenter (no reload per detector).
        Assert.Same(shipped, ChineseSegmenter.Initialise(Shipped.Terms.Select(t => t.Term)));
        Assert.Same(added, ChineseSegmenter.Initialise(WithNewTerm().Terms.Select(t => t.Term)));
    }

    [Fact]
    public void ATwoCharacterTermAddedAtRunTime_IsFoundWhereItIsAWord()
    {
        _ = new PostDetector(Shipped);
        var detector = new PostDetector(WithNewTerm());

        var verdict = detector.Detect(null, Post);

        var match = Assert.Single(verdict.Matches, m => m.Term == NewTerm);
        Assert.Equal(NewTerm, match.Text);
        Assert.Equal(Category.ProxyTaker, match.Category);
        Assert.DoesNotContain(new PostDetector(Shipped).Detect(null, Post).Matches, m => m.Term == NewTerm);
    }

    [Fact]
    public void ATermAddedAtRunTime_GetsTheFrequencyJiebaGivesAUserWord()
    {
        // jieba.NET's own AddWord is the reference: the frequency it suggests for the word, on its dictionary with the
        // same user words added in the same order, is the one the faster engine uses — seen through the cut of a
        // sentence where the word competes with dictionary words around it.
        var words = WithNewTerm().Terms.Select(t => t.Term).ToList();
        var added = ChineseSegmenter.Initialise(words);
        foreach (var text in new[] { Post, "枪替考试一条龙", "代考枪替替考包过", "考研枪替" })
        {
            Assert.Equal(added.CutWithJiebaNet(text), added.Cut(text));
        }
    }
}
