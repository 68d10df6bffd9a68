using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using Ganss.Xss;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>Search everything indexed: words, "phrases", -exclusions, filters, newest or best first, with counts.</summary>
public sealed class SearchModel(ISearch search, WatchDbContext db, HtmlSanitizer sanitizer) : PageModel
{
    private const int PageSize = 20;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Severity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Category { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Alerts { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Sort { get; set; } = "relevance";

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public SearchResults? Results { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyDictionary<int, string> SourceNames { get; private set; } = new Dictionary<int, string>();

    /// <summary>Gets the kinds of the sources that are group chats (a forum is not listed): their hits are marked and not linked.</summary>
    public IReadOnlyDictionary<int, string> ChatKinds { get; private set; } = new Dictionary<int, string>();

    public bool Searched => Q is not null || Severity is not null || Category is not null || Source is not null || Alerts;

    public long Pages => Results is null ? 0 : Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    /// <summary>The snippet as safe HTML: the index encodes the text; the sanitizer keeps only &lt;mark&gt; whatever happens.</summary>
    public string SafeSnippet(SearchHit hit) => sanitizer.Sanitize(hit.Snippet);

    /// <summary>Builds this page's URL with one value changed (for paging).</summary>
    public string PageUrl(int page) => Url.Page("/Search", new { q = Q, severity = Severity, category = Category, source = Source, from = From, to = To, alerts = Alerts, sort = Sort, p = page })!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        SourceNames = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        ChatKinds = await db.Sources.AsNoTracking().Where(s => s.Kind != Data.SourceKinds.Forum).ToDictionaryAsync(s => s.Id, s => s.Kind, cancellationToken);
        if (!Searched)
        {
            return;
        }

        try
        {
            var request = new SearchRequest
            {
                Query = Q ?? string.Empty,
                Severities = Severity is { Length: > 0 } ? [Severity] : [],
                Categories = Category is { Length: > 0 } ? [Category] : [],
                SourceIds = Source is { } source ? [source] : [],
                From = Day(From),
                To = Day(To)?.AddDays(1),
                AlertsOnly = Alerts,
                Sort = Sort switch { "newest" => SearchSort.Newest, "oldest" => SearchSort.Oldest, _ => SearchSort.Relevance },
                Page = Math.Clamp(PageNumber, 1, 500),
                PageSize = PageSize,
                Aggregate = true,
            };
            Results = await search.SearchAsync(request, cancellationToken);
        }
        catch (SearchQueryException e)
        {
            Error = e.Code switch
            {
                SearchQueryException.UnclosedQuote => UiText.Get("查询有误：引号未闭合。"),
                SearchQueryException.TooLong => UiText.Format("查询有误：不能超过 {0} 个字符。", SearchQuery.MaxLength),
                SearchQueryException.TooManyParts => UiText.Format("查询有误：词语和短语不能超过 {0} 个。", SearchQuery.MaxParts),
                _ => UiText.Get("查询有误。"),
            };
        }
        catch (ArgumentException)
        {
            Error = UiText.Get("查询条件有误，请检查日期和页码。");
        }
        catch (FormatException)
        {
            Error = UiText.Get("日期格式应为 2026-06-20");
        }
        catch (IndexUnavailableException)
        {
            Error = UiText.Get("搜索索引暂不可用，请稍后再试（告警队列不受影响）。");
        }
    }

    private static DateTimeOffset? Day(string? text) => Hosting.BeijingTime.ParseDayUtc(text) is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;

    public static string SeverityLabel(string name) => Rendering.Labels.Severity((int)SeverityScale.Parse(name));
}
