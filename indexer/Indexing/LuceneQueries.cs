using System.Globalization;
using ExamNetWatch.Indexer.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// Turns a <see cref="SearchQuery"/> and a <see cref="SearchRequest"/>'s filters into Lucene queries over the fields
/// <see cref="LuceneDocuments"/> writes, and highlights snippets on the character field, so a word is marked once.
/// </summary>
internal sealed class LuceneQueries(Analyzer analyzer)
{
    private const int SnippetLength = 100;

    public BooleanQuery Build(SearchQuery query)
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
            return Either(Phrase(PostFields.Title, part.Text), Phrase(PostFields.Text, part.Text));
        }

        var all = new BooleanQuery();
        foreach (var token in part.Tokens)
        {
            all.Add(Either(new TermQuery(new Term(PostFields.TitleWords, token)), new TermQuery(new Term(PostFields.TextWords, token))), Occur.MUST);
        }

        return all;
    }

    private static BooleanQuery Either(Query first, Query second) => new() { { first, Occur.SHOULD }, { second, Occur.SHOULD } };

    private Query Phrase(string field, string text)
    {
        var phrase = new PhraseQuery();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            phrase.Add(new Term(field, term.ToString()));
        }

        stream.End();
        return phrase.GetTerms().Length == 1 ? new TermQuery(phrase.GetTerms()[0]) : phrase;
    }

    public static QueryWrapperFilter? Filter(SearchRequest request)
    {
        var filter = new BooleanQuery();
        AnyOf(filter, PostFields.Source, request.SourceIds.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        AnyOf(filter, PostFields.Severity, request.Severities);
        AnyOf(filter, PostFields.Category, request.Categories);
        AnyOf(filter, PostFields.Status, request.Statuses);
        if (request.AlertsOnly)
        {
            filter.Add(new TermQuery(new Term(PostFields.HasAlert, "1")), Occur.MUST);
        }

        if (request.From is not null || request.To is not null)
        {
            filter.Add(NumericRangeQuery.NewInt64Range(PostFields.Time, request.From?.ToUnixTimeMilliseconds(), request.To?.ToUnixTimeMilliseconds(), true, false), Occur.MUST);
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

    public Highlighter? Highlighter(SearchQuery query)
    {
        var marks = new BooleanQuery();
        foreach (var text in query.HighlightTexts())
        {
            marks.Add(Phrase(PostFields.Text, text), Occur.SHOULD);
        }

        return marks.Clauses.Count == 0
            ? null
            : new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new MinimalHtmlEncoder(), new QueryScorer(marks, PostFields.Text))
            {
                TextFragmenter = new SimpleFragmenter(SnippetLength),
            };
    }

    public string Snippet(Highlighter? highlighter, string text)
    {
        if (highlighter is not null)
        {
            using var stream = analyzer.GetTokenStream(PostFields.Text, text);
            var fragments = highlighter.GetBestFragments(stream, text, 2, " … ");
            if (!string.IsNullOrEmpty(fragments))
            {
                // Characters are marked one by one; a word reads better marked as one.
                return fragments.Replace("</mark><mark>", string.Empty, StringComparison.Ordinal);
            }
        }

        return System.Net.WebUtility.HtmlEncode(text.Length > SnippetLength ? text[..SnippetLength] + "…" : text);
    }

    /// <summary>Escapes only what HTML needs (Lucene's SimpleHTMLEncoder turns every Chinese character into an entity).</summary>
    private sealed class MinimalHtmlEncoder : IEncoder
    {
        public string EncodeText(string originalText) => System.Net.WebUtility.HtmlEncode(originalText);
    }
}
