using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Tests.Segmentation;

public sealed class ChineseSegmenterTests
{
    private static readonly ChineseSegmenter Segmenter = ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term));

    [Fact]
    public void Tokenize_ExamTermFromTheLexicon_IsOneWord()
    {
        var tokens = Segmenter.Tokenize("出售米粒耳机和橡皮接收器");

        Assert.Contains(tokens, t => t.Word == "米粒耳机" && t.PositionIncrement == 1);
        Assert.Contains(tokens, t => t.Word == "橡皮接收器");
    }

    [Fact]
    public void Tokenize_SubWordsOfALongerWord_OverlapAtPositionIncrementZero()
    {
        const string text = "中考答案出售";
        var tokens = Segmenter.Tokenize(text);

        var whole = tokens.Single(t => t.Word == "中考答案");
        Assert.Equal(1, whole.PositionIncrement);
        var inside = tokens.Where(t => t.Start >= whole.Start && t.End <= whole.End && t != whole).ToList();
        Assert.NotEmpty(inside);
        Assert.All(inside, t => Assert.Equal(0, t.PositionIncrement));
        Assert.All(tokens, t => Assert.Equal(t.Word, text[t.Start..t.End]));
    }

    [Fact]
    public void Tokenize_Punctuation_IsNotAToken() =>
        Assert.DoesNotContain(Segmenter.Tokenize("答案，出售！"), t => t.Word is "，" or "！");
}
