using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>search "QUERY"</c>: searches the index of a data directory (words, "phrases", -exclusions) with filters; safe while
/// the server runs on it (searching takes no lock).
/// </summary>
public static partial class SearchCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Argument<string> Query = new("query") { Description = "Words (all must occur), \"quoted phrases\" (exactly), -word to exclude; empty string: everything" };
    private static readonly Option<int[]> Source = new("--source") { Description = "Only these source ids (repeatable)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> From = new("--from") { Description = "Posts from this time (2026-06-20 or 2026-06-20 09:00, Beijing time)" };
    private static readonly Option<string?> To = new("--to") { Description = "Posts before this time (Beijing time)" };
    private static readonly Option<string[]> SeverityOption = new("--severity") { Description = "Only these severities: none, low, medium, high, critical (repeatable)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string[]> CategoryOption = new("--category") { Description = "Only posts in these categories (repeatable)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<bool> AlertsOnly = new("--alerts") { Description = "Only posts that raised an alert" };
    private static readonly Option<string> Sort = new("--sort") { Description = "relevance, newest or oldest", DefaultValueFactory = _ => "relevance" };
    private static readonly Option<int> Page = new("--page") { Description = "Page (from 1)", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> Size = new("--size") { Description = "Hits per page (1-200)", DefaultValueFactory = _ => 20 };
    private static readonly Option<bool> Aggregate = new("--aggregations") { Description = "Also print counts per day, source, category and severity" };
    private static readonly Option<bool> AsJson = new("--json") { Description = "Print JSON (hits with HTML snippets, total, aggregations)" };

    internal static Command Create()
    {
        Sort.AcceptOnlyFromAmong("relevance", "newest", "oldest");
        SeverityOption.AcceptOnlyFromAmong("none", "low", "medium", "high", "critical");
        var command = new Command("search", "Search indexed posts: full text with Chinese word segmentation, phrases, filters, paging, highlighted snippets");
        command.Arguments.Add(Query);
        foreach (var option in new Option[] { Source, From, To, SeverityOption, CategoryOption, AlertsOnly, Sort, Page, Size, Aggregate, AsJson })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, ct) =>
        {
            SearchRequest request;
            try
            {
                request = new SearchRequest
                {
                    Query = result.GetValue(Query) ?? string.Empty,
                    SourceIds = result.GetValue(Source) ?? [],
                    From = result.GetValue(From) is { } from ? new DateTimeOffset(BeijingTime.ParseUtc(from), TimeSpan.Zero) : null,
                    To = result.GetValue(To) is { } to ? new DateTimeOffset(BeijingTime.ParseUtc(to), TimeSpan.Zero) : null,
                    Severities = result.GetValue(SeverityOption) ?? [],
                    Categories = result.GetValue(CategoryOption) ?? [],
                    AlertsOnly = result.GetValue(AlertsOnly),
                    Sort = Enum.Parse<SearchSort>(result.GetValue(Sort)!, ignoreCase: true),
                    Page = result.GetValue(Page),
                    PageSize = result.GetValue(Size),
                    Aggregate = result.GetValue(Aggregate),
                };
                request.Validate();
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            await using var services = CliHost.Build(result.GetValue(CommandLine.DataDir)!);
            services.Data.Create();
            var index = services.GetRequiredService<IPostIndex>();
            SearchResults found;
            try
            {
                found = await index.SearchAsync(request, ct);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            catch (IndexUnavailableException e)
            {
                await Console.Error.WriteLineAsync("the index is unavailable: " + e.Message);
                return 3;
            }

            if (result.GetValue(AsJson))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(found, Json));
            }
            else
            {
                await WriteTableAsync(Console.Out, request, found);
            }

            return 0;
        });
        return command;
    }

    private static async Task WriteTableAsync(TextWriter output, SearchRequest request, SearchResults found)
    {
        var pages = (found.Total + request.PageSize - 1) / request.PageSize;
        await output.WriteLineAsync(FormattableString.Invariant($"{found.Total} posts match; page {request.Page} of {Math.Max(1, pages)}"));
        foreach (var hit in found.Hits)
        {
            var alert = hit.AlertId is { } id ? FormattableString.Invariant($" alert {id} ({hit.Status})") : string.Empty;
            await output.WriteLineAsync(FormattableString.Invariant($"{hit.Time.ToOffset(Hosting.BeijingTime.Offset):yyyy-MM-dd HH:mm}  {hit.Severity,-8} {hit.PostId}{alert}"));
            await output.WriteLineAsync($"  {TerminalText.Clean(hit.Title)}  {TerminalText.Clean(hit.Url)}");
            await output.WriteLineAsync("  " + TerminalText.Clean(Whitespace().Replace(System.Net.WebUtility.HtmlDecode(Tags().Replace(hit.Snippet.Replace("<mark>", "«", StringComparison.Ordinal).Replace("</mark>", "»", StringComparison.Ordinal), string.Empty)), " ")));
        }

        if (found.Aggregations is { } a)
        {
            await output.WriteLineAsync("per day:      " + string.Join("  ", a.PerDay.Select(b => $"{b.Key} {b.Count}")));
            await output.WriteLineAsync("per source:   " + string.Join("  ", a.PerSource.Select(b => $"{TerminalText.Clean(b.Key)} {b.Count}")));
            await output.WriteLineAsync("per category: " + string.Join("  ", a.PerCategory.Select(b => $"{b.Key} {b.Count}")));
            await output.WriteLineAsync("per severity: " + string.Join("  ", a.PerSeverity.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Key} {b.Count}"))));
        }
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
