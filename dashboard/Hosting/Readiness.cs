using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// <c>/readyz</c>: whether this process can do its work now — the store, the search index and Hangfire's storage each
/// answer. 200 with every part <c>ok</c>, else 503 naming the part that does not (no error text: the probe is anonymous).
/// </summary>
public static class Readiness
{
    /// <summary>Checks every part, each bounded to a few seconds.</summary>
    public static async Task<IResult> CheckAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var checks = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["database"] = await PartAsync(async ct => await scope.ServiceProvider.GetRequiredService<WatchDbContext>().Database.CanConnectAsync(ct), cancellationToken),
            ["index"] = await PartAsync(async ct => await scope.ServiceProvider.GetRequiredService<IPostIndex>().CountAsync(ct) >= 0, cancellationToken),
            ["jobs"] = await PartAsync(
                ct => Task.Run(
                    () =>
                    {
                        return scope.ServiceProvider.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().Servers().Count >= 0;
                    },
                    ct),
                cancellationToken),
        };
        var ready = checks.Values.All(v => v == "ok");
        return Results.Json(new { status = ready ? "ready" : "unavailable", checks }, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string> PartAsync(Func<CancellationToken, Task<bool>> check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            return await check(timeout.Token).WaitAsync(timeout.Token) ? "ok" : "unavailable";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever a part throws means it is not ready; the process's log has the details.
            return "unavailable";
        }
    }
}
