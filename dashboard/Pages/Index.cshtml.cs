using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>The alert queue: newest first, filtered by status, 50 a page.</summary>
public sealed class IndexModel(WatchDbContext db, ExamNetWatch.Dashboard.Indexing.IndexingStatus indexing) : PageModel
{
    private const int PageSize = 50;

    /// <summary>One row of the queue.</summary>
    public sealed record Row(long Id, DateTime CreatedAtUtc, int Severity, string Status, string Source, string Title, string Categories, string MatchedTerms);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public bool HasMore { get; private set; }

    /// <summary>Gets how many changes wait for the search index (it grows while the index is unavailable).</summary>
    public int IndexBacklog { get; private set; }

    /// <summary>Gets the indexing worker's last error, if the last batch failed.</summary>
    public string? IndexError => indexing.LastError;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (Status is not null && !AlertStatus.All.Contains(Status))
        {
            Status = null;
        }

        PageNumber = Math.Max(1, PageNumber);
        IndexBacklog = await db.IndexOutbox.CountAsync(cancellationToken);
        Counts = await db.Alerts.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var query = db.Alerts.AsNoTracking();
        if (Status is not null)
        {
            query = query.Where(a => a.Status == Status);
        }

        var rows = await query
            .OrderByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1)
            .Select(a => new Row(
                a.Id,
                a.CreatedAtUtc,
                a.Severity,
                a.Status,
                db.Sources.Where(s => s.Id == a.SourceId).Select(s => s.Name).FirstOrDefault() ?? "?",
                a.Title,
                a.Categories,
                a.MatchedTerms))
            .ToListAsync(cancellationToken);
        HasMore = rows.Count > PageSize;
        Rows = [.. rows.Take(PageSize)];
    }
}
