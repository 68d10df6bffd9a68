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

    [Fact]
    public void Tokenize_SearchMode_GivesWhatJiebasSearchTokenizerGivesInStartOrder()
    {
        var jieba = Segmenter.Reference;
        foreach (var text in DevSetTexts().Take(150))
        {
            var expected = jieba.Tokenize(text, JiebaNet.Segmenter.TokenizerMode.Search)
                .Where(t => t.Word.Any(char.IsLetterOrDigit))
                .Select(t => (t.Word.Trim(), t.StartIndex, t.EndIndex))
                .Order()
                .ToList();
            var tokens = Segmenter.Tokenize(text);

            Assert.Equal(expected, tokens.Select(t => (t.Word, t.Start, t.End)).Order().ToList());
            Assert.True(tokens.Zip(tokens.Skip(1)).All(p => p.First.Start <= p.Second.Start), "start offsets never go backwards");
        }
    }

    [Fact]
    public void IsDictionaryWord_AgreesWithJiebasDictionary()
    {
        // Every 2-5 character slice of real posts, words of the lexicon and a few non-words.
        var candidates = DevSetTexts().Take(200)
            .SelectMany(text => Enumerable.Range(2, 4).SelectMany(n => Enumerable.Range(0, Math.Max(0, text.Length - n + 1)).Select(i => text.Substring(i, n))))
            .Concat(Lexicon.LoadDefault().Terms.Select(t => t.Term))
            .Concat(["软件包", "过期", "参考答案", "zz", "中考答"])
            .Distinct()
            .ToList();

        _ = Segmenter.Reference; // jieba.NET's dictionary with the lexicon's words added
        var disagreements = candidates.Where(w => Segmenter.IsDictionaryWord(w.AsSpan()) != JiebaNet.Segmenter.WordDictionary.Instance.ContainsWord(w)).ToList();

        Assert.Empty(disagreements);
        Assert.InRange(candidates.Count(w => Segmenter.IsDictionaryWord(w)), 100, candidates.Count / 2);
    }

    [Fact]
    public void Cut_RealText_GivesExactlyJiebaNetsWords()
    {
        // The development set, and ordinary Chinese text no one here wrote (Debian's fortunes-zh).
        var texts = DevSetTexts().Concat(OrdinaryTexts()).Concat(
        [
            "版本2.0.1发布，涨幅3.5%，C++与C#，a·b·c，AT&T",
            "第一行\r\n第二行\n\t缩进  两个空格",
            "😀表情和𠀀扩展字，ｆｕｌｌ　ｗｉｄｔｈ",
            "他说：“张三丰去了北京大学，见到了王小二。”",
            "qq2873341190 vx:zk_2026 电话13912345678",
            string.Empty,
        ]).ToList();

        var differences = texts
            .Where(t => !Segmenter.Cut(t).SequenceEqual(Segmenter.CutWithJiebaNet(t)))
            .Take(3)
            .Select(t => $"{t}\n  ours:  {string.Join('|', Segmenter.Cut(t))}\n  jieba: {string.Join('|', Segmenter.CutWithJiebaNet(t))}")
            .ToList();

        Assert.True(texts.Count > 400, "enough text to compare");
        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static IEnumerable<string> OrdinaryTexts() => Support.DebianFortunes.All().Take(3000);

    private static List<string> DevSetTexts()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "DevSet", "devset.jsonl"));
        return ExamNetWatch.Indexer.Evaluation.DetectionEvaluation.Read(reader).Select(p => p.Text).ToList();
    }
}
