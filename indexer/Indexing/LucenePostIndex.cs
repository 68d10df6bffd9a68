using System.Globalization;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The embedded index: Lucene.NET in a directory of the data folder. Title and text are indexed twice: as jieba words
/// (search mode, sub-words at position increment 0) in <c>title_seg</c>/<c>text_seg</c> for word queries, and as
/// single characters and Latin words (the standard tokenizer) in <c>title</c>/<c>text</c> for exact phrases and for
/// highlighting, which therefore never marks overlapping words twice. Filters and aggregations read keyword fields
/// and doc values. The writer is opened on the first write; if another process holds the directory's lock, writes
/// throw <see cref="IndexUnavailableException"/> until it is released, and searches keep working.
/// </summary>
public sealed class LucenePostIndex : IPostIndex
{
    private const string CurrentFile = "CURRENT";
    private const int SnippetLength = 100;
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly string _root;
    private readonly ChineseSegmenter _segmenter;
    private readonly Analyzer _analyzer;
    private readonly System.Threading.Lock _gate = new();
    private string _generation;
    private LuceneDirectory _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;
    private bool _disposed;

    /// <summary>Opens (or creates) the index under <paramref name="path"/>.</summary>
    public LucenePostIndex(string path, ChineseSegmenter segmenter)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _root = path;
        _segmenter = segmenter ?? throw new ArgumentNullException(nameof(segmenter));
        System.IO.Directory.CreateDirectory(path);
        _analyzer = new PerFieldAnalyzerWrapper(
            new StandardAnalyzer(Version, CharArraySet.Empty),
            new Dictionary<string, Analyzer>
            {
                ["title_seg"] = new JiebaAnalyzer(segmenter, searchMode: true),
                ["text_seg"] = new JiebaAnalyzer(segmenter, searchMode: true),
            });

        // The index lives in a generation folder named by CURRENT, so a rebuild can fill a new one and switch at once.
        var current = Path.Combine(path, CurrentFile);
        _generation = File.Exists(current) ? File.ReadAllText(current).Trim() : "g1";
        if (!File.Exists(current))
        {
            // An index written before generations existed (with fewer fields) has its files in the folder itself: it
            // is dropped, and the indexing worker refills the empty index from the database.
            foreach (var file in System.IO.Directory.EnumerateFiles(path).Where(f => Path.GetFileName(f) is "write.lock" or "segments.gen" || Path.GetFileName(f).StartsWith("segments_", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith('_')))
            {
                File.Delete(file);
            }

            File.WriteAllText(current, _generation);
        }

        _directory = FSDirectory.Open(Path.Combine(path, _generation));
    }

    /// <inheritdoc />
    public string Backend => "lucene";

    /// <inheritdoc />
    public Task IndexAsync(IReadOnlyCollection<PostDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        lock (_gate)
        {
            var writer = Writer();
            foreach (var document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.UpdateDocument(new Term("id", document.PostId), ToLucene(document));
            }

            Commit(writer);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpdateTriageAsync(string postId, long alertId, string status, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(postId);
        ArgumentException.ThrowIfNullOrEmpty(status);
        lock (_gate)
        {
            var writer = Writer();
            var stored = Find(postId);
            if (stored is null)
            {
                return Task.CompletedTask;
            }

            writer.UpdateDocument(new Term("id", postId), ToLucene(stored with { AlertId = alertId, Status = status }));
            Commit(writer);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(postIds);
        if (postIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            var writer = Writer();
            writer.DeleteDocuments([.. postIds.Select(id => new Term("id", id))]);
            Commit(writer);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(WithSearcher(searcher => (long)searcher.IndexReader.NumDocs, 0L));

    /// <inheritdoc />
    public async Task<long> RebuildAsync(IAsyncEnumerable<IReadOnlyList<PostDocument>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var generation = "g" + Guid.NewGuid().ToString("N")[..12];
        var path = Path.Combine(_root, generation);
        long count = 0;
        try
        {
            using (var directory = FSDirectory.Open(path))
            using (var writer = new IndexWriter(directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE }))
            {
                await foreach (var batch in batches.WithCancellation(cancellationToken))
                {
                    foreach (var document in batch)
                    {
                        writer.UpdateDocument(new Term("id", document.PostId), ToLucene(document));
                        count++;
                    }
                }

                writer.Commit();
            }
        }
        catch
        {
            TryDeleteDirectory(path);
            throw;
        }

        lock (_gate)
        {
            // Writes that arrived while the new generation was filled went to the old one; the outbox replays them,
            // and what the caller fed us is the database as of its start, so nothing is lost by switching now.
            var old = Path.Combine(_root, _generation);
            CloseWriterAndSearchers();
            _directory.Dispose();
            var next = Path.Combine(_root, CurrentFile + ".next");
            File.WriteAllText(next, generation);
            File.Move(next, Path.Combine(_root, CurrentFile), overwrite: true);
            _generation = generation;
            _directory = FSDirectory.Open(path);
            TryDeleteDirectory(old);
        }

        return count;
    }

    /// <inheritdoc />
    public Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var query = SearchQuery.Parse(request.Query, _segmenter);
        var empty = new SearchResults(0, [], request.Aggregate ? new SearchAggregations([], [], [], []) : null);
        return Task.FromResult(WithSearcher(searcher => Search(searcher, request, query), empty));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            CloseWriterAndSearchers();
            _analyzer.Dispose();
            _directory.Dispose();
        }
    }

    private SearchResults Search(IndexSearcher searcher, SearchRequest request, SearchQuery query)
    {
        var main = BuildQuery(query);
        var filter = BuildFilter(request);
        var sort = request.Sort switch
        {
            SearchSort.Newest => new Sort(new SortField("time_dv", SortFieldType.INT64, reverse: true)),
            SearchSort.Oldest => new Sort(new SortField("time_dv", SortFieldType.INT64, reverse: false)),
            _ => new Sort(SortField.FIELD_SCORE, new SortField("time_dv", SortFieldType.INT64, reverse: true)),
        };
        var wanted = request.Page * request.PageSize;
        var top = TopFieldCollector.Create(sort, wanted, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        var aggregations = request.Aggregate ? new AggregationCollector(request.DayOffset) : null;
        searcher.Search(main, filter, aggregations is null ? top : MultiCollector.Wrap(top, aggregations));

        var page = top.GetTopDocs((request.Page - 1) * request.PageSize, request.PageSize);
        var highlighter = request.Highlight ? Highlighter(query) : null;
        var hits = new List<SearchHit>(page.ScoreDocs.Length);
        foreach (var scoreDoc in page.ScoreDocs)
        {
            var document = FromStored(searcher.Doc(scoreDoc.Doc));
            hits.Add(new SearchHit(
                document.PostId,
                document.ThreadId,
                document.SourceId,
                document.Url,
                document.Title,
                Snippet(highlighter, document.Text),
                document.Severity,
                document.Score,
                document.Categories,
                document.Time,
                document.AlertId,
                document.Status,
                float.IsNaN(scoreDoc.Score) ? 0 : scoreDoc.Score));
        }

        return new SearchResults(top.TotalHits, hits, aggregations?.Result());
    }

    private BooleanQuery BuildQuery(SearchQuery query)
    {
        var main = new BooleanQuery();
        foreach (var part in query.Include)
        {
            main.Add(PartQuery(part), Occur.MUST);
        }

        foreach (var part in query.Exclude)
        {
            main.Add(PartQuery(part), Occur.MUST_NOT);
        }

        if (query.Include.Count == 0)
        {
            main.Add(new MatchAllDocsQuery(), Occur.MUST);
        }

        return main;
    }

    /// <summary>A word: each of its jieba words in the title or the text; a phrase: its characters in a row in either.</summary>
    private BooleanQuery PartQuery(QueryPart part)
    {
        if (part.IsPhrase)
        {
            return Either(Phrase("title", part.Text), Phrase("text", part.Text));
        }

        var all = new BooleanQuery();
        foreach (var token in part.Tokens)
        {
            all.Add(Either(new TermQuery(new Term("title_seg", token)), new TermQuery(new Term("text_seg", token))), Occur.MUST);
        }

        return all;
    }

    private static BooleanQuery Either(Query first, Query second) => new() { { first, Occur.SHOULD }, { second, Occur.SHOULD } };

    private Query Phrase(string field, string text)
    {
        var phrase = new PhraseQuery();
        using var stream = _analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            phrase.Add(new Term(field, term.ToString()));
        }

        stream.End();
        return phrase.GetTerms().Length == 1 ? new TermQuery(phrase.GetTerms()[0]) : phrase;
    }

    private static QueryWrapperFilter? BuildFilter(SearchRequest request)
    {
        var filter = new BooleanQuery();
        AnyOf(filter, "source", request.SourceIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        AnyOf(filter, "severity", request.Severities);
        AnyOf(filter, "category", request.Categories);
        AnyOf(filter, "status", request.Statuses);
        if (request.AlertsOnly)
        {
            filter.Add(new TermQuery(new Term("has_alert", "1")), Occur.MUST);
        }

        if (request.From is not null || request.To is not null)
        {
            filter.Add(NumericRangeQuery.NewInt64Range("time", request.From?.ToUnixTimeMilliseconds(), request.To?.ToUnixTimeMilliseconds(), true, false), Occur.MUST);
        }

        return filter.Clauses.Count == 0 ? null : new QueryWrapperFilter(filter);
    }

    private static void AnyOf(BooleanQuery filter, string field, IEnumerable<string> values)
    {
        var any = new BooleanQuery();
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            any.Add(new TermQuery(new Term(field, value)), Occur.SHOULD);
        }

        if (any.Clauses.Count > 0)
        {
            filter.Add(any, Occur.MUST);
        }
    }

    private Highlighter? Highlighter(SearchQuery query)
    {
        var marks = new BooleanQuery();
        foreach (var text in query.HighlightTexts())
        {
            marks.Add(Phrase("text", text), Occur.SHOULD);
        }

        return marks.Clauses.Count == 0
            ? null
            : new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new MinimalHtmlEncoder(), new QueryScorer(marks, "text"))
            {
                TextFragmenter = new SimpleFragmenter(SnippetLength),
            };
    }

    private string Snippet(Highlighter? highlighter, string text)
    {
        if (highlighter is not null)
        {
            using var stream = _analyzer.GetTokenStream("text", text);
            var fragments = highlighter.GetBestFragments(stream, text, 2, " … ");
            if (!string.IsNullOrEmpty(fragments))
            {
                // Characters are marked one by one; a word reads better marked as one.
                return fragments.Replace("</mark><mark>", string.Empty, StringComparison.Ordinal);
            }
        }

        return System.Net.WebUtility.HtmlEncode(text.Length > SnippetLength ? text[..SnippetLength] + "…" : text);
    }

    private IndexWriter Writer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FollowRebuild();
        if (_writer is not null)
        {
            return _writer;
        }

        try
        {
            _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND });
            return _writer;
        }
        catch (LockObtainFailedException e)
        {
            throw new IndexUnavailableException($"the Lucene index at {_root} is locked by another writer", e);
        }
    }

    private void Commit(IndexWriter writer)
    {
        try
        {
            writer.Commit();
            _searchers?.MaybeRefreshBlocking();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The writer is unusable after a failed commit: drop it, so the next write opens a fresh one.
            CloseWriterAndSearchers();
            throw new IndexUnavailableException($"the Lucene index at {_root} could not be written: {e.Message}", e);
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> action, T whenEmpty)
    {
        SearcherManager manager;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            FollowRebuild();
            if (_searchers is null)
            {
                if (!DirectoryReader.IndexExists(_directory))
                {
                    return whenEmpty;
                }

                _searchers = new SearcherManager(_directory, searcherFactory: null);
            }

            manager = _searchers;
        }

        manager.MaybeRefreshBlocking();
        var searcher = manager.Acquire();
        try
        {
            return action(searcher);
        }
        finally
        {
            manager.Release(searcher);
        }
    }

    /// <summary>Switches to the generation named in CURRENT when another process (index rebuild) replaced it.</summary>
    private void FollowRebuild()
    {
        string named;
        try
        {
            named = File.ReadAllText(Path.Combine(_root, CurrentFile)).Trim();
        }
        catch (IOException)
        {
            return;
        }

        if (named.Length == 0 || named == _generation || !System.IO.Directory.Exists(Path.Combine(_root, named)))
        {
            return;
        }

        CloseWriterAndSearchers();
        _directory.Dispose();
        _generation = named;
        _directory = FSDirectory.Open(Path.Combine(_root, named));
    }

    private PostDocument? Find(string postId) =>
        WithSearcher(
            searcher =>
            {
                var top = searcher.Search(new TermQuery(new Term("id", postId)), 1);
                return top.TotalHits == 0 ? null : FromStored(searcher.Doc(top.ScoreDocs[0].Doc));
            },
            (PostDocument?)null);

    private void CloseWriterAndSearchers()
    {
        try
        {
            _searchers?.Dispose();
            _writer?.Dispose();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Closing a broken writer can fail too; its lock is released either way.
        }

        _searchers = null;
        _writer = null;
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A reader may still hold a file open; the folder is left behind and does no harm.
        }
    }

    private static Document ToLucene(PostDocument post)
    {
        var time = post.Time.ToUnixTimeMilliseconds();
        var doc = new Document
        {
            new StringField("id", post.PostId, Field.Store.YES),
            new StringField("thread", post.ThreadId, Field.Store.YES),
            new StringField("source", post.SourceId.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new SortedDocValuesField("source_dv", new BytesRef(post.SourceId.ToString(CultureInfo.InvariantCulture))),
            new StoredField("url", post.Url),
            new TextField("title", post.Title, Field.Store.YES),
            new TextField("text", post.Text, Field.Store.YES),
            new TextField("title_seg", post.Title, Field.Store.NO),
            new TextField("text_seg", post.Text, Field.Store.NO),
            new Int64Field("time", time, Field.Store.NO),
            new NumericDocValuesField("time_dv", time),
            new StoredField("fetched", post.FetchedAt.ToUnixTimeMilliseconds()),
            new StringField("severity", post.Severity, Field.Store.YES),
            new SortedDocValuesField("severity_dv", new BytesRef(post.Severity)),
            new StoredField("score", post.Score),
        };
        if (post.Author is not null)
        {
            doc.Add(new StringField("author", post.Author, Field.Store.YES));
        }

        if (post.PublishedAt is { } published)
        {
            doc.Add(new StoredField("published", published.ToUnixTimeMilliseconds()));
        }

        if (post.AlertId is { } alertId)
        {
            doc.Add(new StoredField("alert", alertId));
            doc.Add(new StringField("has_alert", "1", Field.Store.NO));
        }

        if (post.Status is not null)
        {
            doc.Add(new StringField("status", post.Status, Field.Store.YES));
        }

        foreach (var category in post.Categories.Distinct(StringComparer.Ordinal))
        {
            doc.Add(new StringField("category", category, Field.Store.YES));
            doc.Add(new SortedSetDocValuesField("category_dv", new BytesRef(category)));
        }

        foreach (var term in post.MatchedTerms)
        {
            doc.Add(new StringField("term", term, Field.Store.YES));
        }

        foreach (var contact in post.Contacts)
        {
            doc.Add(new StringField("contact", contact, Field.Store.YES));
        }

        return doc;
    }

    private static PostDocument FromStored(Document doc)
    {
        static DateTimeOffset? Time(Document doc, string field) =>
            doc.GetField(field)?.GetInt64Value() is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

        return new PostDocument(
            doc.Get("id", CultureInfo.InvariantCulture),
            doc.Get("thread", CultureInfo.InvariantCulture),
            int.Parse(doc.Get("source", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            doc.Get("url", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("title", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("text", CultureInfo.InvariantCulture) ?? string.Empty,
            doc.Get("author", CultureInfo.InvariantCulture),
            Time(doc, "published"),
            Time(doc, "fetched") ?? DateTimeOffset.UnixEpoch,
            doc.Get("severity", CultureInfo.InvariantCulture) ?? "none",
            doc.GetField("score")?.GetDoubleValue() ?? 0,
            doc.GetValues("category", CultureInfo.InvariantCulture),
            doc.GetValues("term", CultureInfo.InvariantCulture),
            doc.GetValues("contact", CultureInfo.InvariantCulture),
            doc.GetField("alert")?.GetInt64Value(),
            doc.Get("status", CultureInfo.InvariantCulture));
    }

    /// <summary>Escapes only what HTML needs (Lucene's SimpleHTMLEncoder turns every Chinese character into an entity).</summary>
    private sealed class MinimalHtmlEncoder : IEncoder
    {
        public string EncodeText(string originalText) => System.Net.WebUtility.HtmlEncode(originalText);
    }

    /// <summary>
    /// Counts matching posts per day, source, category and severity from doc values: per segment by ordinal, turned
    /// into names once per segment, so a query matching a million posts costs a pass over integers.
    /// </summary>
    private sealed class AggregationCollector(TimeSpan dayOffset) : ICollector
    {
        private readonly Dictionary<long, long> _days = [];
        private readonly Dictionary<string, long> _sources = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _severities = new(StringComparer.Ordinal);
        private readonly long _offsetMs = (long)dayOffset.TotalMilliseconds;
        private NumericDocValues? _time;
        private SortedDocValues? _source;
        private SortedSetDocValues? _category;
        private SortedDocValues? _severity;
        private long[] _sourceCounts = [];
        private long[] _categoryCounts = [];
        private long[] _severityCounts = [];

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            var reader = context.AtomicReader;
            _time = reader.GetNumericDocValues("time_dv");
            _source = reader.GetSortedDocValues("source_dv");
            _category = reader.GetSortedSetDocValues("category_dv");
            _severity = reader.GetSortedDocValues("severity_dv");
            _sourceCounts = new long[_source?.ValueCount ?? 0];
            _categoryCounts = new long[_category?.ValueCount ?? 0];
            _severityCounts = new long[_severity?.ValueCount ?? 0];
        }

        public void Collect(int doc)
        {
            if (_time is not null)
            {
                var day = Math.DivRem(_time.Get(doc) + _offsetMs, 86_400_000L, out var rest) - (rest < 0 ? 1 : 0);
                _days[day] = _days.GetValueOrDefault(day) + 1;
            }

            if (_source?.GetOrd(doc) is >= 0 and var source)
            {
                _sourceCounts[source]++;
            }

            if (_severity?.GetOrd(doc) is >= 0 and var severity)
            {
                _severityCounts[severity]++;
            }

            if (_category is not null)
            {
                _category.SetDocument(doc);
                for (var ord = _category.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = _category.NextOrd())
                {
                    _categoryCounts[ord]++;
                }
            }
        }

        public SearchAggregations Result()
        {
            Flush();
            return new SearchAggregations(
                [.. _days.OrderBy(d => d.Key).Select(d => new SearchBucket(DateTimeOffset.FromUnixTimeMilliseconds(d.Key * 86_400_000L).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Value))],
                Buckets(_sources),
                Buckets(_categories),
                Buckets(_severities));
        }

        private static List<SearchBucket> Buckets(Dictionary<string, long> counts) =>
            [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new SearchBucket(c.Key, c.Value))];

        private void Flush()
        {
            var bytes = new BytesRef();
            for (var ord = 0; ord < _sourceCounts.Length; ord++)
            {
                if (_sourceCounts[ord] > 0)
                {
                    _source!.LookupOrd(ord, bytes);
                    var key = bytes.Utf8ToString();
                    _sources[key] = _sources.GetValueOrDefault(key) + _sourceCounts[ord];
                }
            }

            for (var ord = 0; ord < _severityCounts.Length; ord++)
            {
                if (_severityCounts[ord] > 0)
                {
                    _severity!.LookupOrd(ord, bytes);
                    var key = bytes.Utf8ToString();
                    _severities[key] = _severities.GetValueOrDefault(key) + _severityCounts[ord];
                }
            }

            for (var ord = 0; ord < _categoryCounts.Length; ord++)
            {
                if (_categoryCounts[ord] > 0)
                {
                    _category!.LookupOrd(ord, bytes);
                    var key = bytes.Utf8ToString();
                    _categories[key] = _categories.GetValueOrDefault(key) + _categoryCounts[ord];
                }
            }

            _sourceCounts = [];
            _categoryCounts = [];
            _severityCounts = [];
        }
    }
}
