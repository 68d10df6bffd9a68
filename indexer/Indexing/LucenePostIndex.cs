using System.Globalization;
using ExamNetWatch.Indexer.Segmentation;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// The embedded index: Lucene.NET in a directory of the data folder, jieba-segmented title and text, keyword
/// fields for filters, and highlighting that marks each matched word once.
/// </summary>
public sealed class LucenePostIndex : IPostIndex
{
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly LuceneDirectory _directory;
    private readonly Analyzer _analyzer;
    private readonly Analyzer _queryAnalyzer;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;

    public LucenePostIndex(string path, ChineseSegmenter segmenter)
    {
        _directory = FSDirectory.Open(path);
        _analyzer = new JiebaAnalyzer(segmenter, searchMode: true);
        _queryAnalyzer = new JiebaAnalyzer(segmenter, searchMode: false);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { OpenMode = OpenMode.CREATE_OR_APPEND });
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
    }

    /// <inheritdoc />
    public int Count
    {
        get
        {
            _searchers.MaybeRefreshBlocking();
            var searcher = _searchers.Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }
    }

    /// <inheritdoc />
    public void Upsert(IReadOnlyCollection<PostDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var document in documents)
        {
            _writer.UpdateDocument(new Term("id", document.PostId), ToLucene(document));
        }

        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    /// <inheritdoc />
    public IReadOnlyList<SearchHit> Search(string query, int max)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        var parser = new MultiFieldQueryParser(Version, ["title", "text"], _queryAnalyzer) { DefaultOperator = Operator.AND };
        var parsed = parser.Parse(QueryParserBase.Escape(query));
        var highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new MinimalHtmlEncoder(), new QueryScorer(parsed))
        {
            TextFragmenter = new SimpleFragmenter(120),
        };

        _searchers.MaybeRefreshBlocking();
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(parsed, max);
            var hits = new List<SearchHit>(top.ScoreDocs.Length);
            foreach (var scoreDoc in top.ScoreDocs)
            {
                var doc = searcher.Doc(scoreDoc.Doc);
                var text = doc.Get("text", CultureInfo.InvariantCulture) ?? string.Empty;
                var snippet = highlighter.GetBestFragment(_analyzer, "text", text)
                    ?? System.Net.WebUtility.HtmlEncode(text.Length > 120 ? text[..120] : text);
                hits.Add(new SearchHit(doc.Get("id", CultureInfo.InvariantCulture), doc.Get("title", CultureInfo.InvariantCulture) ?? string.Empty, doc.Get("url", CultureInfo.InvariantCulture) ?? string.Empty, doc.Get("severity", CultureInfo.InvariantCulture) ?? "none", snippet, scoreDoc.Score));
            }

            return hits;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _analyzer.Dispose();
        _queryAnalyzer.Dispose();
        _directory.Dispose();
    }

    /// <summary>Escapes only what HTML needs (Lucene's SimpleHTMLEncoder turns every Chinese character into an entity).</summary>
    private sealed class MinimalHtmlEncoder : IEncoder
    {
        public string EncodeText(string originalText) => System.Net.WebUtility.HtmlEncode(originalText);
    }

    private static Document ToLucene(PostDocument post)
    {
        var doc = new Document
        {
            new StringField("id", post.PostId, Field.Store.YES),
            new StringField("thread", post.ThreadId, Field.Store.YES),
            new StringField("source", post.SourceId.ToString(CultureInfo.InvariantCulture), Field.Store.YES),
            new StoredField("url", post.Url),
            new TextField("title", post.Title, Field.Store.YES),
            new TextField("text", post.Text, Field.Store.YES),
            new Int64Field("fetched", post.FetchedAt.ToUnixTimeMilliseconds(), Field.Store.YES),
            new StringField("severity", post.Severity, Field.Store.YES),
            new StoredField("score", post.Score),
        };
        if (post.Author is not null)
        {
            doc.Add(new StringField("author", post.Author, Field.Store.YES));
        }

        if (post.PublishedAt is { } published)
        {
            doc.Add(new Int64Field("published", published.ToUnixTimeMilliseconds(), Field.Store.YES));
        }

        if (post.AlertId is { } alertId)
        {
            doc.Add(new Int64Field("alert", alertId, Field.Store.YES));
        }

        if (post.Status is not null)
        {
            doc.Add(new StringField("status", post.Status, Field.Store.YES));
        }

        foreach (var category in post.Categories)
        {
            doc.Add(new StringField("category", category, Field.Store.YES));
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
}
