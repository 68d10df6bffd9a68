using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Tests.Indexing;

public sealed class LucenePostIndexTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "enw-index-" + Guid.NewGuid().ToString("N"));
    private readonly LucenePostIndex _index;

    public LucenePostIndexTests() =>
        _index = new LucenePostIndex(_path, ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term)));

    [Fact]
    public void Search_ChineseWord_FindsThePostAndMarksTheWordOnce()
    {
        _index.Upsert([Doc("s1-t1-p1", "出售中考答案，考前一天发，加微信 zk2026da"), Doc("s1-t2-p2", "数学复习到哪了")]);

        var hit = Assert.Single(_index.Search("中考答案", 10));

        Assert.Equal("s1-t1-p1", hit.PostId);
        Assert.Contains("<mark>中考答案</mark>", hit.Snippet, StringComparison.Ordinal);
        // Overlapping sub-words (中考, 答案) must not repeat the text in the snippet.
        Assert.Equal(1, CountOf(hit.Snippet, "中考"));
    }

    [Fact]
    public void Upsert_SamePostTwice_KeepsOneDocumentWithTheNewContent()
    {
        _index.Upsert([Doc("s1-t1-p1", "旧内容 米粒耳机")]);
        _index.Upsert([Doc("s1-t1-p1", "新内容 隐形耳机")]);

        Assert.Equal(1, _index.Count);
        Assert.Empty(_index.Search("米粒耳机", 10));
        Assert.Single(_index.Search("隐形耳机", 10));
    }

    [Fact]
    public void Search_PostContainingMarkup_SnippetIsEncoded()
    {
        _index.Upsert([Doc("s1-t3-p3", "<script>alert(1)</script> 出售作弊器")]);

        var hit = Assert.Single(_index.Search("作弊器", 10));

        Assert.DoesNotContain("<script>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", hit.Snippet, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _index.Dispose();
        Directory.Delete(_path, recursive: true);
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static PostDocument Doc(string id, string text) =>
        new(id, "t", 1, "http://forum.test/" + id, "标题", text, "作者", null, DateTimeOffset.UnixEpoch, "high", 0.9, [Category.Device], [], [], null, null);
}
