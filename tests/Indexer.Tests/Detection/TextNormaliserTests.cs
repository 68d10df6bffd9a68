using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

public sealed class TextNormaliserTests
{
    [Theory]
    [InlineData("隐 形 耳 机", "隐形耳机")]
    [InlineData("作*弊*器", "作弊器")]
    [InlineData("答·案", "答案")]
    [InlineData("中　考　答　案", "中考答案")]
    [InlineData("作\u200B弊\u200D器", "作弊器")]
    [InlineData("ＱＱ２８７３３", "qq28733")]
    [InlineData("Ⓠ①②", "q12")]
    public void Normalise_CommonEvasion_IsUndone(string text, string expected) =>
        Assert.Equal(expected, TextNormaliser.Normalise(text).Value);

    [Theory]
    [InlineData("作\uD800弊器 qq", "作弊器 qq")]
    [InlineData("出售作弊器\uDC00", "出售作弊器")]
    [InlineData("\uDBFF", "")]
    public void Normalise_LoneSurrogate_IsASymbolNotAnError(string text, string expected) =>
        Assert.Equal(expected, TextNormaliser.Normalise(text).Value);

    [Fact]
    public void Normalise_SymbolsBetweenLatinOrDigits_BecomeOneSpace() =>
        Assert.Equal("qq 123 abc", TextNormaliser.Normalise("QQ: 123 -- ABC").Value);

    [Fact]
    public void Normalise_UnderscoreAndDashInsideAnId_AreKept() =>
        Assert.Equal("加薇 ks_helper-88", TextNormaliser.Normalise("加薇 ks_helper-88").Value);

    [Fact]
    public void ToOriginal_MatchAcrossSkippedSpaces_MapsToTheWholeOriginalSlice()
    {
        const string text = "出售 隐 形 耳 机！";
        var normalised = TextNormaliser.Normalise(text);
        var start = normalised.Value.IndexOf("隐形耳机", StringComparison.Ordinal);

        var (s, e) = normalised.ToOriginal(start, start + 4);

        Assert.Equal("隐 形 耳 机", text[s..e]);
    }

    [Fact]
    public void ToOriginal_CharacterOutsideTheBmp_KeepsBothHalvesOfTheSurrogatePair()
    {
        const string text = "𠀀答案";
        var normalised = TextNormaliser.Normalise(text);

        var (s, e) = normalised.ToOriginal(0, 2);

        Assert.Equal("𠀀", text[s..e]);
    }
}
