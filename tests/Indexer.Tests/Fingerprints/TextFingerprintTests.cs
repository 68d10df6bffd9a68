using ExamNetWatch.Indexer.Fingerprints;

namespace ExamNetWatch.Indexer.Tests.Fingerprints;

public sealed class TextFingerprintTests
{
    private const string Ad = "出售2026年中考各科答案，考前一天发到手机，保过！有需要的加微信 zk2026da 私聊，价格优惠，全国包邮，诚信第一。";

    [Fact]
    public void ContentHash_SameTextWithInsertedSymbolsAndFullWidth_IsEqual() =>
        Assert.Equal(TextFingerprint.ContentHash("出售 中考答案 ＱＱ１２３４５"), TextFingerprint.ContentHash("出售*中*考*答*案 QQ12345"));

    [Fact]
    public void SimHash_RepostWithAnotherContact_IsANearDuplicate()
    {
        var repost = Ad.Replace("zk2026da", "zk2027db", StringComparison.Ordinal);

        Assert.InRange(TextFingerprint.Distance(TextFingerprint.SimHash(Ad), TextFingerprint.SimHash(repost)), 0, 3);
    }

    [Fact]
    public void SimHash_RepostWithAFewWordsChanged_IsCloserThanUnrelatedText()
    {
        var repost = Ad.Replace("价格优惠", "价格实惠", StringComparison.Ordinal);
        var other = "宿舍太吵了，想买个降噪耳机，预算500以内，大家有推荐的吗？头戴式的会不会好一些，戴久了耳朵疼不疼。";

        var near = TextFingerprint.Distance(TextFingerprint.SimHash(Ad), TextFingerprint.SimHash(repost));
        var far = TextFingerprint.Distance(TextFingerprint.SimHash(Ad), TextFingerprint.SimHash(other));

        Assert.InRange(near, 0, 10);
        Assert.True(far > near + 10, $"near {near}, far {far}");
    }

    [Fact]
    public void SimHash_UnrelatedPosts_AreFarApart()
    {
        var other = "宿舍太吵了，想买个降噪耳机，预算500以内，大家有推荐的吗？头戴式的会不会好一些，戴久了耳朵疼不疼。";

        Assert.True(TextFingerprint.Distance(TextFingerprint.SimHash(Ad), TextFingerprint.SimHash(other)) > 16);
    }

    [Fact]
    public void SimHash_ShortOrEmptyText_DoesNotFail()
    {
        Assert.Equal(0, TextFingerprint.SimHash(string.Empty));
        Assert.NotEqual(0, TextFingerprint.SimHash("答"));
    }
}
