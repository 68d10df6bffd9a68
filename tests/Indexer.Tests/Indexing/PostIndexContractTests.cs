using Elastic.Transport;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;
using ExamNetWatch.Indexer.Tests.Support;

namespace ExamNetWatch.Indexer.Tests.Indexing;

/// <summary>
/// What every index backend must do, as a user of search would notice it. Each backend runs this suite through a
/// subclass that says how to open a fresh, empty index.
/// </summary>
public abstract class PostIndexContractTests : IAsyncLifetime
{
    protected static readonly ChineseSegmenter Segmenter = ChineseSegmenter.Initialise(Lexicon.LoadDefault().Terms.Select(t => t.Term));

    private static readonly DateTimeOffset June20 = new(2026, 6, 20, 9, 0, 0, TimeSpan.FromHours(8));

    protected IPostIndex Index { get; private set; } = null!;

    public async Task InitializeAsync() => Index = await OpenEmptyAsync();

    public Task DisposeAsync()
    {
        Index.Dispose();
        return CleanUpAsync();
    }

    [ContractFact]
    public async Task Search_ChineseWord_FindsThePostAndMarksTheWordOnce()
    {
        await Index.IndexAsync([Doc("s1-t1-p1", "出售中考答案，考前一天发，加微信 zk2026da"), Doc("s1-t2-p2", "数学复习到哪了")]);

        var found = await Index.SearchAsync(new SearchRequest { Query = "中考答案" });

        var hit = Assert.Single(found.Hits);
        Assert.Equal("s1-t1-p1", hit.PostId);
        Assert.Equal(1, found.Total);
        Assert.Contains("<mark>中考答案</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.Equal(1, Count(StripMarks(hit.Snippet), "中考答案"));
    }

    [ContractFact]
    public async Task Search_WordInsideALongerWord_IsFoundThroughItsSubWords()
    {
        await Index.IndexAsync([Doc("a", "出售米粒耳机，考场专用")]);

        var found = await Index.SearchAsync(new SearchRequest { Query = "耳机" });

        Assert.Equal("a", Assert.Single(found.Hits).PostId);
    }

    [ContractFact]
    public async Task Search_WordThatOnlyOccursAcrossAWordBoundary_DoesNotMatch()
    {
        await Index.IndexAsync([Doc("a", "软件包过期了，请更新"), Doc("b", "保录取包过，押金五百")]);

        var found = await Index.SearchAsync(new SearchRequest { Query = "包过" });

        Assert.Equal(["b"], found.Hits.Select(h => h.PostId));
    }

    [ContractFact]
    public async Task Search_QuotedPhrase_MatchesExactlyAsWrittenWhateverTheSegmentation()
    {
        await Index.IndexAsync([Doc("a", "软件包过期了，请更新"), Doc("b", "中 考 答 案 都在这"), Doc("c", "中考的答案都在这")]);

        Assert.Equal(["a"], (await Index.SearchAsync(new SearchRequest { Query = "\"包过期\"" })).Hits.Select(h => h.PostId));
        // Spaces inserted between the characters (an evasion) do not hide a phrase; other characters do.
        var hit = Assert.Single((await Index.SearchAsync(new SearchRequest { Query = "\"中考答案\"" })).Hits);
        Assert.Equal("b", hit.PostId);
        Assert.StartsWith("<mark>中</mark> <mark>考</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Search_ExcludedWord_RemovesPostsContainingIt()
    {
        await Index.IndexAsync([Doc("a", "出售作弊器，微信联系"), Doc("b", "警方查获作弊器一批")]);

        var found = await Index.SearchAsync(new SearchRequest { Query = "作弊器 -警方" });

        Assert.Equal(["a"], found.Hits.Select(h => h.PostId));
    }

    [ContractFact]
    public async Task Search_Filters_KeepOnlyMatchingSourceTimeSeverityCategoryAndAlerts()
    {
        await Index.IndexAsync(
        [
            Doc("a", "出售作弊器", source: 1, time: June20, severity: "high", categories: [Category.Device], alertId: 7, status: "new"),
            Doc("b", "出售作弊器", source: 2, time: June20, severity: "high", categories: [Category.Device]),
            Doc("c", "出售作弊器", source: 1, time: June20.AddDays(-3), severity: "low", categories: [Category.PaperLeak]),
        ]);

        async Task<string[]> Ids(SearchRequest request) => [.. (await Index.SearchAsync(request with { Query = "作弊器" })).Hits.Select(h => h.PostId).Order()];

        Assert.Equal(["a", "c"], await Ids(new SearchRequest { SourceIds = [1] }));
        Assert.Equal(["a", "b"], await Ids(new SearchRequest { From = June20.AddHours(-1), To = June20.AddHours(1) }));
        Assert.Equal(["c"], await Ids(new SearchRequest { Severities = ["low"] }));
        Assert.Equal(["c"], await Ids(new SearchRequest { Categories = [Category.PaperLeak] }));
        Assert.Equal(["a"], await Ids(new SearchRequest { AlertsOnly = true }));
        Assert.Equal(["a"], await Ids(new SearchRequest { Statuses = ["new"] }));
    }

    [ContractFact]
    public async Task Search_SortAndPaging_WalkThroughEveryHitOnce()
    {
        await Index.IndexAsync([.. Enumerable.Range(0, 25).Select(i => Doc($"p{i:00}", $"出售作弊器 第{i}批", time: June20.AddMinutes(i)))]);

        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var found = await Index.SearchAsync(new SearchRequest { Query = "作弊器", Sort = SearchSort.Newest, Page = page, PageSize = 10 });
            Assert.Equal(25, found.Total);
            seen.AddRange(found.Hits.Select(h => h.PostId));
        }

        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"p{i:00}"), seen);
        var oldest = await Index.SearchAsync(new SearchRequest { Query = "作弊器", Sort = SearchSort.Oldest, PageSize = 1 });
        Assert.Equal("p00", Assert.Single(oldest.Hits).PostId);
    }

    [ContractFact]
    public async Task Search_Aggregations_CountPerDayInBeijingTimeSourceCategoryAndSeverity()
    {
        var lateEvening = new DateTimeOffset(2026, 6, 19, 23, 30, 0, TimeSpan.FromHours(8));
        await Index.IndexAsync(
        [
            Doc("a", "出售作弊器", source: 1, time: lateEvening, severity: "high", categories: [Category.Device, Category.PaperLeak]),
            Doc("b", "出售作弊器", source: 1, time: June20, severity: "high", categories: [Category.Device]),
            Doc("c", "出售作弊器", source: 2, time: June20, severity: "medium", categories: [Category.Device]),
            Doc("d", "今天天气很好", source: 3, time: June20, severity: "none", categories: []),
        ]);

        var found = await Index.SearchAsync(new SearchRequest { Query = "作弊器", Aggregate = true, PageSize = 1 });

        var a = found.Aggregations!;
        Assert.Equal([new SearchBucket("2026-06-19", 1), new SearchBucket("2026-06-20", 2)], a.PerDay);
        Assert.Equal([new SearchBucket("1", 2), new SearchBucket("2", 1)], a.PerSource);
        Assert.Equal([new SearchBucket(Category.Device, 3), new SearchBucket(Category.PaperLeak, 1)], a.PerCategory);
        Assert.Equal([new SearchBucket("high", 2), new SearchBucket("medium", 1)], a.PerSeverity);
    }

    [ContractFact]
    public async Task IndexAsync_SamePostTwice_KeepsOneDocumentWithTheNewText()
    {
        await Index.IndexAsync([Doc("a", "旧内容 米粒耳机")]);
        await Index.IndexAsync([Doc("a", "新内容 隐形耳机")]);

        Assert.Equal(1, await Index.CountAsync());
        Assert.Empty((await Index.SearchAsync(new SearchRequest { Query = "米粒耳机" })).Hits);
        Assert.Single((await Index.SearchAsync(new SearchRequest { Query = "隐形耳机" })).Hits);
    }

    [ContractFact]
    public async Task UpdateTriageAsync_SetsStatusSearchableByFilter()
    {
        await Index.IndexAsync([Doc("a", "出售作弊器", alertId: 3, status: "new")]);

        await Index.UpdateTriageAsync("a", 3, "confirmed");
        await Index.UpdateTriageAsync("not-indexed", 4, "dismissed");

        var hit = Assert.Single((await Index.SearchAsync(new SearchRequest { Statuses = ["confirmed"] })).Hits);
        Assert.Equal(("a", 3L, "confirmed"), (hit.PostId, hit.AlertId!.Value, hit.Status!));
        Assert.Single((await Index.SearchAsync(new SearchRequest { Query = "作弊器" })).Hits);
    }

    [ContractFact]
    public async Task DeleteAsync_RemovesThePostsAndIgnoresUnknownIds()
    {
        await Index.IndexAsync([Doc("a", "出售作弊器"), Doc("b", "出售作弊器")]);

        await Index.DeleteAsync(["a", "unknown"]);

        Assert.Equal(["b"], (await Index.SearchAsync(new SearchRequest { Query = "作弊器" })).Hits.Select(h => h.PostId));
    }

    [ContractFact]
    public async Task RebuildAsync_ReplacesEverythingWithWhatItIsGiven()
    {
        await Index.IndexAsync([Doc("old", "出售作弊器")]);

        var count = await Index.RebuildAsync(Batches([Doc("n1", "出售作弊器")], [Doc("n2", "代考包过")]));

        Assert.Equal(2, count);
        Assert.Equal(2, await Index.CountAsync());
        Assert.Equal(["n1"], (await Index.SearchAsync(new SearchRequest { Query = "作弊器" })).Hits.Select(h => h.PostId));
    }

    [ContractFact]
    public async Task Search_PostContainingMarkup_SnippetIsEncoded()
    {
        await Index.IndexAsync([Doc("a", "<script>alert(1)</script> 出售作弊器")]);

        var hit = Assert.Single((await Index.SearchAsync(new SearchRequest { Query = "作弊器" })).Hits);

        Assert.DoesNotContain("<script>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", hit.Snippet, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Search_BadRequests_AreRefusedWithAClearMessage()
    {
        Assert.Equal(SearchQueryException.UnclosedQuote, (await Assert.ThrowsAsync<SearchQueryException>(() => Index.SearchAsync(new SearchRequest { Query = "\"未闭合" }))).Code);
        await Assert.ThrowsAsync<ArgumentException>(() => Index.SearchAsync(new SearchRequest { PageSize = 0 }));
        Assert.Equal(SearchQueryException.TooLong, (await Assert.ThrowsAsync<SearchQueryException>(() => Index.SearchAsync(new SearchRequest { Query = new string('考', 600) }))).Code);
    }

    protected abstract Task<IPostIndex> OpenEmptyAsync();

    protected abstract Task CleanUpAsync();

    protected static PostDocument Doc(
        string id,
        string text,
        int source = 1,
        DateTimeOffset? time = null,
        string severity = "high",
        IReadOnlyList<string>? categories = null,
        long? alertId = null,
        string? status = null) =>
        new(id, "t-" + id, source, "http://forum.test/" + id, "标题", text, "作者", time ?? June20, time ?? June20, severity, 0.9, categories ?? [Category.Device], [], [], alertId, status);

    private static async IAsyncEnumerable<IReadOnlyList<PostDocument>> Batches(params IReadOnlyList<PostDocument>[] batches)
    {
        foreach (var batch in batches)
        {
            await Task.Yield();
            yield return batch;
        }
    }

    private static string StripMarks(string snippet) => snippet.Replace("<mark>", string.Empty, StringComparison.Ordinal).Replace("</mark>", string.Empty, StringComparison.Ordinal);

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}

/// <summary>The contract against the embedded Lucene.NET index, in a fresh temporary folder per test.</summary>
public sealed class LuceneIndexContractTests : PostIndexContractTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "enw-index-" + Guid.NewGuid().ToString("N"));

    [ContractFact]
    public async Task IndexAsync_DirectoryLockedByAnotherWriter_ThrowsUnavailableAndWorksOnceReleased()
    {
        var locked = Lucene.Net.Store.FSDirectory.Open(Path.Combine(_path, File.ReadAllText(Path.Combine(_path, "CURRENT")).Trim()));
        var writeLock = locked.MakeLock("write.lock");
        Assert.True(writeLock.Obtain());

        await Assert.ThrowsAsync<IndexUnavailableException>(() => Index.IndexAsync([Doc("a", "出售作弊器")]));

        writeLock.Dispose();
        locked.Dispose();
        await Index.IndexAsync([Doc("a", "出售作弊器")]);
        Assert.Equal(1, await Index.CountAsync());
    }

    [Fact]
    public async Task Open_IndexFromBeforeGenerations_StartsEmptyAndRemovesTheOldFiles()
    {
        var legacy = Path.Combine(Path.GetTempPath(), "enw-legacy-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var directory = Lucene.Net.Store.FSDirectory.Open(legacy))
            using (var writer = new Lucene.Net.Index.IndexWriter(directory, new Lucene.Net.Index.IndexWriterConfig(Lucene.Net.Util.LuceneVersion.LUCENE_48, new Lucene.Net.Analysis.Core.KeywordAnalyzer())))
            {
                writer.AddDocument([new Lucene.Net.Documents.StringField("id", "old", Lucene.Net.Documents.Field.Store.YES)]);
                writer.Commit();
            }

            using var index = new LucenePostIndex(legacy, Segmenter);

            Assert.Equal(0, await index.CountAsync());
            Assert.Equal(["CURRENT"], Directory.EnumerateFiles(legacy).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(legacy, recursive: true);
        }
    }

    protected override Task<IPostIndex> OpenEmptyAsync() => Task.FromResult<IPostIndex>(new LucenePostIndex(_path, Segmenter));

    protected override Task CleanUpAsync()
    {
        Directory.Delete(_path, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The contract against a real Elasticsearch cluster at <c>EXAMNETWATCH_ES_URL</c>, each test in its own alias (deleted
/// afterwards), with security as the cluster has it: <c>EXAMNETWATCH_ES_API_KEY</c>, or <c>EXAMNETWATCH_ES_USERNAME</c>
/// and <c>EXAMNETWATCH_ES_PASSWORD</c>; <c>EXAMNETWATCH_ES_CA</c> (a CA certificate file) or
/// <c>EXAMNETWATCH_ES_FINGERPRINT</c> for TLS — the same settings the product reads from section <c>Index</c>. Without
/// the URL every test is reported as skipped with that reason.
/// </summary>
[RequiresEnvironment("EXAMNETWATCH_ES_URL", "no Elasticsearch cluster to run the contract against (set it to e.g. http://127.0.0.1:9200)")]
public sealed class ElasticsearchIndexContractTests : PostIndexContractTests
{
    private readonly string _alias = "enw-test-" + Guid.NewGuid().ToString("N")[..12];
    private Elastic.Clients.Elasticsearch.ElasticsearchClient? _client;

    protected override Task<IPostIndex> OpenEmptyAsync()
    {
        var url = Environment.GetEnvironmentVariable("EXAMNETWATCH_ES_URL");
        if (string.IsNullOrEmpty(url))
        {
            // Only reached if a test of this class runs without the variable, which the discoverer prevents.
            throw new InvalidOperationException("EXAMNETWATCH_ES_URL is not set");
        }

        var options = new IndexOptions
        {
            ElasticsearchUrl = new Uri(url),
            ApiKey = Variable("EXAMNETWATCH_ES_API_KEY"),
            Username = Variable("EXAMNETWATCH_ES_USERNAME"),
            Password = Variable("EXAMNETWATCH_ES_PASSWORD"),
            CaCertificatePath = Variable("EXAMNETWATCH_ES_CA"),
            CertificateFingerprint = Variable("EXAMNETWATCH_ES_FINGERPRINT"),
        };
        _client = new Elastic.Clients.Elasticsearch.ElasticsearchClient(options.ClientSettings());
        return Task.FromResult<IPostIndex>(new ElasticsearchPostIndex(_client, Segmenter, _alias));
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    protected override async Task CleanUpAsync()
    {
        if (_client is not null)
        {
            await _client.Transport.RequestAsync<Elastic.Transport.StringResponse>(Elastic.Transport.HttpMethod.DELETE, $"/{_alias}-*", CancellationToken.None);
            await _client.Transport.RequestAsync<Elastic.Transport.StringResponse>(Elastic.Transport.HttpMethod.DELETE, $"/_index_template/{_alias}", CancellationToken.None);
        }
    }
}
