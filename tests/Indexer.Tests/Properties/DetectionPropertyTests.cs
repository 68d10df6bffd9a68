using CsCheck;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Properties;

/// <summary>
/// Generated hostile text (CsCheck, 1,000 inputs a property): pieces of offers and evasions, full-width and styled
/// forms, invisible and combining characters, emoji and lone surrogates, traditional characters, numbers and pinyin.
/// </summary>
public sealed class DetectionPropertyTests
{
    private const int Iterations = 1_000;

    private static readonly Lazy<PostDetector> Detector = new(() => new PostDetector(Lexicon.LoadDefault()));

    private static readonly string[] Pieces =
    [
        "出售", "中考", "答案", "考前", "加微信", "QQ", "2873341190", "１３８", "00", "vx", "zk2026da", "耳机", "隐形", "代考", "包过", "题",
        "\u200B", "\u200D", "\uFEFF", "\u00AD", "\u0301", "-", "_", "*", "×", " ", "\u3000", "\n", "，", "！", "😀", "👍🏻", "\uD83D", "\uDE00",
        "考試", "答案", "ｄａ案", "da案", "kao场", "𝟏𝟐𝟑", "①②", "一二三", "扣扣", "薇", "V信", "➕", "139****5678", "《", "》", "“", "”", "a", "Z",
    ];

    private static Gen<string> Texts { get; } = Gen.Int[0, Pieces.Length - 1].Array[0, 60].Select(ids => string.Concat(ids.Select(i => Pieces[i])));

    [Fact]
    public void Normalise_AnyText_EveryOffsetMapsInsideTheOriginalInOrder()
    {
        Texts.Sample(text =>
        {
            var normalised = TextNormaliser.Normalise(text);
            Assert.Equal(text, normalised.Original);
            var previous = 0;
            for (var i = 0; i < normalised.Value.Length; i++)
            {
                var (start, end) = normalised.ToOriginal(i, i + 1);
                Assert.InRange(start, 0, text.Length - 1);
                Assert.InRange(end, start + 1, text.Length);
                Assert.True(start >= previous, $"character {i} maps before character {i - 1}");
                previous = start;
            }

            for (var i = 0; i < text.Length; i++)
            {
                Assert.InRange(normalised.FromOriginal(i), 0, normalised.Value.Length);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Detect_AnyText_MatchesAreSlicesOfTheirFieldAndContactsAreBounded()
    {
        Gen.Select(Texts, Texts).Sample((title, text) =>
        {
            var verdict = Detector.Value.Detect(title, text);
            foreach (var match in verdict.Matches)
            {
                var field = match.Field == "title" ? title : text;
                Assert.InRange(match.Start, 0, field.Length);
                Assert.InRange(match.End, match.Start, field.Length);
                Assert.Equal(field[match.Start..match.End], match.Text);
            }

            Assert.All(verdict.Contacts, c => Assert.InRange(c.Value.Length, 1, 200));
            Assert.InRange(verdict.Score, 0, 1);
        }, iter: Iterations);
    }

    [Fact]
    public void Contacts_AnyText_NeverThrowAndValuesComeFromTheText()
    {
        Texts.Sample(text =>
        {
            var normalised = TextNormaliser.Normalise(text);
            foreach (var contact in ContactExtractor.Extract(normalised.Value, normalised.Original))
            {
                Assert.False(string.IsNullOrWhiteSpace(contact.Kind));
                Assert.False(string.IsNullOrWhiteSpace(contact.Value));
            }
        }, iter: Iterations);
    }
}
