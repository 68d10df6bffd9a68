using System.Text;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Indexer.Search;

/// <summary>
/// The query language, the same for every backend: words separated by spaces must all occur (a Chinese word is
/// segmented by jieba and each of its words must occur as a word, so 包过 does not match 软件包过期); a
/// "quoted phrase" must occur exactly as written, whatever the segmentation; a leading minus excludes a word or a
/// phrase (-二手 or -"官方通知"). Case does not matter.
/// </summary>
public sealed record SearchQuery(IReadOnlyList<QueryPart> Include, IReadOnlyList<QueryPart> Exclude)
{
    public const int MaxLength = 500;
    public const int MaxParts = 32;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="ArgumentException"/> for a query that is too long or unbalanced.</summary>
    public static SearchQuery Parse(string? text, ChineseSegmenter segmenter)
    {
        ArgumentNullException.ThrowIfNull(segmenter);
        text ??= string.Empty;
        if (text.Length > MaxLength)
        {
            throw new SearchQueryException(SearchQueryException.TooLong, $"the query is longer than {MaxLength} characters");
        }

        var include = new List<QueryPart>();
        var exclude = new List<QueryPart>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var negative = text[i] == '-' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]);
            if (negative)
            {
                i++;
            }

            string raw;
            bool phrase;
            if (text[i] is '"' or '“' or '”')
            {
                var close = text.IndexOfAny(['"', '“', '”'], i + 1);
                if (close < 0)
                {
                    throw new SearchQueryException(SearchQueryException.UnclosedQuote, "a quoted phrase is not closed");
                }

                raw = text[(i + 1)..close];
                phrase = true;
                i = close + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                {
                    end++;
                }

                raw = text[i..end];
                phrase = false;
                i = end;
            }

            var part = phrase ? Phrase(raw) : Word(raw, segmenter);
            if (part is not null)
            {
                (negative ? exclude : include).Add(part);
            }
        }

        if (include.Count + exclude.Count > MaxParts)
        {
            throw new SearchQueryException(SearchQueryException.TooManyParts, $"the query has more than {MaxParts} parts");
        }

        return new SearchQuery(include, exclude);
    }

    /// <summary>Gets the texts to highlight: the words of each included word, and each included phrase.</summary>
    public IEnumerable<string> HighlightTexts() => Include.SelectMany(p => p.IsPhrase ? [p.Text] : p.Tokens).Distinct(StringComparer.Ordinal);

    private static QueryPart? Phrase(string raw)
    {
        var text = Clean(raw);
        return text.Length == 0 ? null : new QueryPart(text, IsPhrase: true, [text]);
    }

    private static QueryPart? Word(string raw, ChineseSegmenter segmenter)
    {
        var text = Clean(raw);
        if (text.Length == 0)
        {
            return null;
        }

        var tokens = segmenter.Tokenize(text, searchMode: false).Select(t => t.Word.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return tokens.Count == 0 ? null : new QueryPart(text, IsPhrase: false, tokens);
    }

    private static string Clean(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        foreach (var c in raw.Normalize(NormalizationForm.FormKC))
        {
            if (!char.IsControl(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString().Trim();
    }
}

/// <summary>
/// One part of a query: a word (<see cref="Tokens"/> = its jieba words, each required) or a phrase (required exactly).
/// </summary>
public sealed record QueryPart(string Text, bool IsPhrase, IReadOnlyList<string> Tokens);

/// <summary>A query that cannot be run; <see cref="Code"/> says why, for messages in the user's language.</summary>
public sealed class SearchQueryException : ArgumentException
{
    public const string TooLong = "too_long";
    public const string UnclosedQuote = "unclosed_quote";
    public const string TooManyParts = "too_many_parts";

    public SearchQueryException()
    {
        Code = string.Empty;
    }

    public SearchQueryException(string message)
        : base(message)
    {
        Code = string.Empty;
    }

    public SearchQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = string.Empty;
    }

    public SearchQueryException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Gets the reason: <see cref="TooLong"/>, <see cref="UnclosedQuote"/> or <see cref="TooManyParts"/>.</summary>
    public string Code { get; }
}
