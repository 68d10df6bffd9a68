using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Detection.Concepts;

namespace ExamNetWatch.Indexer.Tests.Detection.Concepts;

/// <summary>The words of the concept classes as the shipped rules find them in real-looking text.</summary>
public sealed class ConceptMatcherTests
{
    private static readonly Lexicon Rules = Lexicon.LoadDefault();
    private static readonly ConceptMatcher Matcher = new(Rules.Concepts, Rules.Patterns, new WordBoundaries(ExamNetWatch.Indexer.Segmentation.ChineseSegmenter.Initialise(Rules.Terms.Select(t => t.Term))));

    private static List<ConceptHit> Find(string text)
    {
        var hits = new List<ConceptHit>();
        Matcher.Find(TextNormaliser.Normalise(text), hits);
        return hits;
    }

    private static string Words(string text) => string.Join("、", Find(text).Select(h => h.Term));

    private static bool Has(List<ConceptHit> hits, string conceptClass) => hits.Exists(h => h.Is(ConceptClass.IndexOf(conceptClass)));

    [Fact]
    public void Find_OneCharacterWordInsideADictionaryWord_IsNotCounted()
    {
        Assert.False(Has(Find("这个问题我想了很久"), ConceptClass.Goods), Words("这个问题我想了很久")); // 题 in 问题
        Assert.False(Has(Find("成绩出来了吗"), ConceptClass.Offer), Words("成绩出来了吗")); // 出 in 出来
        Assert.True(Has(Find("出四级的题 私聊"), ConceptClass.Offer));
        Assert.True(Has(Find("出四级的题 私聊"), ConceptClass.Goods));
    }

    [Fact]
    public void Find_WordInsideAPlainWord_IsNotCounted()
    {
        Assert.False(Has(Find("我正在考虑要不要报名"), ConceptClass.TimeDuring)); // 在考 in 正在考虑
        Assert.True(Has(Find("我弟还在考 帮他看看第五题"), ConceptClass.TimeDuring));
    }

    [Fact]
    public void Find_WordInsideALongerConceptWord_CountsOnlyAsTheLongerOne()
    {
        var hits = Find("先做题 考后付款");

        Assert.True(Has(hits, ConceptClass.Payment));
        Assert.False(Has(hits, ConceptClass.AfterExam)); // 考后 in 考后付款
    }

    [Fact]
    public void Find_PatternSpanningWords_KeepsTheWordsInside()
    {
        var hits = Find("卷子拍了 谁帮做一下");

        Assert.True(Has(hits, ConceptClass.Transmission)); // the pattern 拍卷子
        Assert.True(Has(hits, ConceptClass.Goods)); // 卷子 inside it
    }

    [Theory]
    [InlineData("联系 139****5678 同微", "139****5678")]
    [InlineData("扣扣 2873**90", "2873**90")]
    [InlineData("电话139××××5678", "139××××5678")]
    public void Find_MaskedNumber_IsAContactWord(string text, string masked)
    {
        var hit = Assert.Single(Find(text), h => h.Term == masked);

        Assert.True(hit.Is(ConceptClass.IndexOf(ConceptClass.Contact)));
    }

    [Theory]
    [InlineData("四六级da案 考前发", ConceptClass.Goods)]
    [InlineData("kao场用的 ēr jī", ConceptClass.Device)]
    public void Find_WordWrittenInPinyin_IsFound(string text, string conceptClass)
    {
        Assert.True(Has(Find(text), conceptClass), string.Join(", ", Find(text).Select(h => h.Term)));
    }

    [Theory]
    [InlineData("一科三百 先付一半", ConceptClass.Price)]
    [InlineData("四级400元 六级600元", ConceptClass.Price)]
    [InlineData("每科200元", ConceptClass.Price)]
    public void Find_PriceWrittenInDigitsOrNumerals_IsAPrice(string text, string conceptClass)
    {
        Assert.True(Has(Find(text), conceptClass));
    }

    [Fact]
    public void Find_LatinWordInsideALongerLatinWord_IsNotCounted()
    {
        Assert.False(Has(Find("the md5sum of rfc1321"), ConceptClass.Exam)); // c1 in rfc1321
        Assert.True(Has(Find("学车 c1 科目一"), ConceptClass.Exam));
    }
}
