using System.CommandLine;
using System.Globalization;
using System.Runtime.CompilerServices;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Indexing;
using ExamNetWatch.Indexer.Indexing;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>index status</c> and <c>index rebuild</c>: the search index of a data directory.</summary>
public static class IndexCommand
{
    private const int BatchSize = 1000;

    /// <summary>What <c>index status</c> reports.</summary>
    public sealed record IndexReport(string Backend, long Documents, long Posts, int Backlog, DateTime? OldestWaitingUtc, int Failing, string? LastError);

    internal static Command Create()
    {
        var status = new Command("status", "Show the index: documents, posts in the database, outbox backlog and the last indexing error");
        status.SetAction(async (result, ct) =>
        {
            var data = new DataDirectory(result.GetValue(CommandLine.DataDir)!);
            await using var services = await CliHost.OpenAsync(data.Root, ct);
            var index = services.GetRequiredService<IPostIndex>();
            IndexReport report;
            try
            {
                report = await StatusAsync(services, index, ct);
            }
            catch (IndexUnavailableException e)
            {
                await Console.Error.WriteLineAsync("the index is unavailable: " + e.Message);
                return 3;
            }

            await Console.Out.WriteLineAsync(FormattableString.Invariant($"backend        {report.Backend}"));
            await Console.Out.WriteLineAsync(FormattableString.Invariant($"documents      {report.Documents}"));
            await Console.Out.WriteLineAsync(FormattableString.Invariant($"posts in db    {report.Posts}"));
            await Console.Out.WriteLineAsync(FormattableString.Invariant($"backlog        {report.Backlog}{(report.OldestWaitingUtc is { } oldest ? $" (oldest waiting since {oldest:yyyy-MM-dd HH:mm:ss} UTC)" : string.Empty)}"));
            await Console.Out.WriteLineAsync(FormattableString.Invariant($"failing        {report.Failing}{(report.LastError is { } error ? $" — last error: {error}" : string.Empty)}"));
            return 0;
        });

        var rebuild = new Command("rebuild", "Recreate the index from the database; searches see the old index until the new one is complete");
        rebuild.SetAction(async (result, ct) =>
        {
            var data = new DataDirectory(result.GetValue(CommandLine.DataDir)!);
            await using var services = await CliHost.OpenAsync(data.Root, ct);
            var index = services.GetRequiredService<IPostIndex>();
            long count;
            try
            {
                count = await RebuildAsync(services, index, TimeProvider.System, ct);
            }
            catch (IndexUnavailableException e)
            {
                await Console.Error.WriteLineAsync("the index is unavailable, nothing was changed: " + e.Message);
                return 3;
            }

            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"index rebuilt: {count} posts"));
            return 0;
        });

        var command = new Command("index", "The search index");
        command.Subcommands.Add(status);
        command.Subcommands.Add(rebuild);
        return command;
    }

    /// <summary>Counts documents, posts and the outbox backlog.</summary>
    public static async Task<IndexReport> StatusAsync(IServiceProvider services, IPostIndex index, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(index);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var backlog = await db.IndexOutbox.CountAsync(cancellationToken);
        var oldest = await db.IndexOutbox.MinAsync(e => (DateTime?)e.EnqueuedAtUtc, cancellationToken);
        var failing = await db.IndexOutbox.CountAsync(e => e.Attempts > 0, cancellationToken);
        var lastError = await db.IndexOutbox.Where(e => e.LastError != null).OrderByDescending(e => e.NextAttemptAtUtc).Select(e => e.LastError).FirstOrDefaultAsync(cancellationToken);
        var posts = await db.Posts.LongCountAsync(cancellationToken);
        return new IndexReport(index.Backend, await index.CountAsync(cancellationToken), posts, backlog, oldest, failing, lastError);
    }

    /// <summary>
    /// Rebuilds the index from every post in the database. Posts stored or triaged while it ran are queued again
    /// afterwards, so a server running beside it loses nothing.
    /// </summary>
    public static async Task<long> RebuildAsync(IServiceProvider services, IPostIndex index, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(time);
        var started = time.GetUtcNow().UtcDateTime;
        var count = await index.RebuildAsync(ReadAllAsync(services, cancellationToken), cancellationToken);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var changed = await db.Posts.Where(p => p.FetchedAtUtc >= started).Select(p => p.Id)
            .Union(db.Alerts.Where(a => a.TriagedAtUtc >= started).Select(a => a.PostId))
            .ToListAsync(cancellationToken);
        // Entries queued before the rebuild began are covered by it (unless a running worker holds them right now).
        await db.IndexOutbox.Where(e => e.EnqueuedAtUtc < started && e.LeaseOwner == null).ExecuteDeleteAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var id in changed)
        {
            IndexOutbox.Enqueue(db, id, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    private static async IAsyncEnumerable<IReadOnlyList<PostDocument>> ReadAllAsync(IServiceProvider services, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
            var query = db.Posts.AsNoTracking();
            if (after is not null)
            {
                #pragma warning disable CA1309, CA1310 // Translated to SQL, where SQLite and PostgreSQL (C collation) compare ordinally.
                query = query.Where(p => p.Id.CompareTo(after) > 0);
#pragma warning restore CA1309, CA1310
            }

            var posts = await query.OrderBy(p => p.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (posts.Count == 0)
            {
                yield break;
            }

            var ids = posts.Select(p => p.Id).ToList();
            var alerts = await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.PostId)).ToDictionaryAsync(a => a.PostId, StringComparer.Ordinal, cancellationToken);
            yield return [.. posts.Select(p => PostDocuments.From(p, alerts.GetValueOrDefault(p.Id)))];
            after = posts[^1].Id;
        }
    }
}
