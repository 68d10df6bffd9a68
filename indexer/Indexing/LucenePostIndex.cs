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
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly string _root;
    private readonly Action? _beforeCommit;
    private readonly ChineseSegmenter _segmenter;
    private readonly Analyzer _analyzer;
    private readonly System.Threading.Lock _gate = new();
    private string _generation;
    private LuceneDirectory _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;
    private bool _disposed;

    /// <summary>Opens (or creates) the index under <paramref name="path"/>.</summary>
    /// <param name="path">The index directory (created if missing).</param>
    /// <param name="segmenter">jieba segmentation for the Chinese fields.</param>
    /// <param name="beforeCommit">Runs just before each commit (the host puts the reliability suite's kill point there).</param>
    public LucenePostIndex(string path, ChineseSegmenter segmenter, Action? beforeCommit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _root = path;
        _beforeCommit = beforeCommit;
        _segmenter = segmenter ?? throw new ArgumentNullException(nameof(segmenter));
        System.IO.Directory.CreateDirectory(path);
        _analyzer = new PerFieldAnalyzerWrapper(
            new StandardAnalyzer(Version, CharArraySet.Empty),
            new Dictionary<string, Analyzer>
            {
                [PostFields.TitleWords] = new JiebaAnalyzer(segmenter, searchMode: true),
                [PostFields.TextWords] = new JiebaAnalyzer(segmenter, searchMode: true),
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
                writer.UpdateDocument(new Term(PostFields.Id, document.PostId), LuceneDocuments.ToLucene(document));
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

            writer.UpdateDocument(new Term(PostFields.Id, postId), LuceneDocuments.ToLucene(stored with { AlertId = alertId, Status = status }));
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
            writer.DeleteDocuments([.. postIds.Select(id => new Term(PostFields.Id, id))]);
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
                        writer.UpdateDocument(new Term(PostFields.Id, document.PostId), LuceneDocuments.ToLucene(document));
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
        var queries = new LuceneQueries(_analyzer);
        var main = queries.Build(query);
        var filter = LuceneQueries.Filter(request);
        var sort = request.Sort switch
        {
            SearchSort.Newest => new Sort(new SortField(PostFields.TimeValues, SortFieldType.INT64, reverse: true)),
            SearchSort.Oldest => new Sort(new SortField(PostFields.TimeValues, SortFieldType.INT64, reverse: false)),
            _ => new Sort(SortField.FIELD_SCORE, new SortField(PostFields.TimeValues, SortFieldType.INT64, reverse: true)),
        };
        var wanted = request.Page * request.PageSize;
        var top = TopFieldCollector.Create(sort, wanted, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        var aggregations = request.Aggregate ? new LuceneAggregationCollector(request.DayOffset) : null;
        searcher.Search(main, filter, aggregations is null ? top : MultiCollector.Wrap(top, aggregations));

        var page = top.GetTopDocs((request.Page - 1) * request.PageSize, request.PageSize);
        var highlighter = request.Highlight ? queries.Highlighter(query) : null;
        var hits = new List<SearchHit>(page.ScoreDocs.Length);
        foreach (var scoreDoc in page.ScoreDocs)
        {
            var document = LuceneDocuments.FromStored(searcher.Doc(scoreDoc.Doc));
            hits.Add(new SearchHit(
                document.PostId,
                document.ThreadId,
                document.SourceId,
                document.Url,
                document.Title,
                queries.Snippet(highlighter, document.Text),
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
            _beforeCommit?.Invoke();
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
                var top = searcher.Search(new TermQuery(new Term(PostFields.Id, postId)), 1);
                return top.TotalHits == 0 ? null : LuceneDocuments.FromStored(searcher.Doc(top.ScoreDocs[0].Doc));
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
}
