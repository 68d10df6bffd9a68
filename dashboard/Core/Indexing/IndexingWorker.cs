using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Indexing;
using Microsoft.EntityFrameworkCore;
using Polly;
using Polly.Retry;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Dashboard.Indexing;

/// <summary>Settings of the indexing worker.</summary>
public sealed record IndexingOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Gets how many outbox entries one bulk request takes.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000, ErrorMessage = "Indexing:BatchSize must be between {1} and {2}.")]
    public int BatchSize { get; init; } = 500;

    /// <summary>Gets how long the worker sleeps when the outbox is empty (it wakes at once when signalled).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how long a claim on entries lasts before another worker may take them over.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets the longest wait before a failed entry is tried again.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how many times one batch is retried in place (with jittered backoff) before it is put back.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 20, ErrorMessage = "Indexing:Retries must be between {1} and {2}.")]
    public int Retries { get; init; } = 3;

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(10))
        {
            yield return new($"Indexing:PollInterval must be more than 0 and at most 10 minutes (was {PollInterval}).", [nameof(PollInterval)]);
        }

        if (Lease < TimeSpan.FromSeconds(10))
        {
            yield return new($"Indexing:Lease must be at least 10 seconds (was {Lease}): a shorter lease lets a second worker index a batch still being indexed.", [nameof(Lease)]);
        }

        if (MaxBackoff <= TimeSpan.Zero)
        {
            yield return new($"Indexing:MaxBackoff must be more than 0 (was {MaxBackoff}).", [nameof(MaxBackoff)]);
        }
    }
}

/// <summary>Wakes the indexing worker when new outbox entries were committed.</summary>
public sealed class IndexingSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Tells the worker there is work.</summary>
    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Waits for a signal or the timeout.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();
}

/// <summary>What the dashboard and <c>index status</c> show of the indexing worker's health.</summary>
public sealed class IndexingStatus
{
    private readonly Lock _gate = new();

    /// <summary>Gets when a batch last reached the index.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Gets the last error, cleared by the next success.</summary>
    public string? LastError { get; private set; }

    /// <summary>Gets when the last error happened.</summary>
    public DateTimeOffset? LastErrorAt { get; private set; }

    internal void Succeeded(DateTimeOffset at)
    {
        lock (_gate)
        {
            LastSuccess = at;
            LastError = null;
            LastErrorAt = null;
        }
    }

    internal void Failed(DateTimeOffset at, string error)
    {
        lock (_gate)
        {
            LastError = error;
            LastErrorAt = at;
        }
    }
}

/// <summary>
/// Drains the index outbox: claims a batch (a lease, so several workers can run), loads the posts and their alerts,
/// sends the documents to the index in bulk (deleting posts no longer in the database), and removes the entries.
/// If the index stays unavailable through the in-place retries, the entries go back with a growing delay and the
/// error shows on the dashboard; nothing is dropped, and as every write is an idempotent upsert or delete, a post
/// ends up in the index exactly once however often its entry is replayed.
/// </summary>
public sealed partial class IndexingWorker(
    IServiceScopeFactory scopes,
    IPostIndex index,
    IndexingSignal signal,
    IndexingStatus status,
    IndexingOptions options,
    TimeProvider time,
    ILogger<IndexingWorker> logger) : BackgroundService
{
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            MaxRetryAttempts = Math.Max(0, options.Retries),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .Build();

    /// <summary>Takes one batch from the outbox; returns how many entries reached the index (0 when empty or failed).</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        // Leases of a process of this machine that died holding them are free at once (see LeaseOwner).
        var owners = await db.IndexOutbox.Where(e => e.LeaseUntilUtc != null && e.LeaseUntilUtc >= now).Select(e => e.LeaseOwner).Distinct().ToListAsync(cancellationToken);
        if (owners.Where(LeaseOwner.IsDeadHere).ToList() is { Count: > 0 } dead)
        {
            await db.IndexOutbox.Where(e => dead.Contains(e.LeaseOwner))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, (string?)null).SetProperty(e => e.LeaseUntilUtc, (DateTime?)null), cancellationToken);
        }

        var candidates = await db.IndexOutbox
            .Where(e => (e.NextAttemptAtUtc == null || e.NextAttemptAtUtc <= now) && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .OrderBy(e => e.Id)
            .Select(e => e.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return 0;
        }

        var claim = LeaseOwner.New();
        var until = now + options.Lease;
        await db.IndexOutbox
            .Where(e => candidates.Contains(e.Id) && (e.LeaseUntilUtc == null || e.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, claim).SetProperty(e => e.LeaseUntilUtc, until), cancellationToken);
        var claimed = await db.IndexOutbox.AsNoTracking().Where(e => e.LeaseOwner == claim).ToListAsync(cancellationToken);
        KillPoint.Reach("index.claimed");
        if (claimed.Count == 0)
        {
            return 0;
        }

        var postIds = claimed.Select(e => e.PostId).Distinct(StringComparer.Ordinal).ToList();
        var posts = await db.Posts.AsNoTracking().Where(p => postIds.Contains(p.Id)).ToListAsync(cancellationToken);
        var alerts = await db.Alerts.AsNoTracking().Where(a => postIds.Contains(a.PostId)).ToDictionaryAsync(a => a.PostId, StringComparer.Ordinal, cancellationToken);
        var documents = posts.Select(p => PostDocuments.From(p, alerts.GetValueOrDefault(p.Id))).ToList();
        var gone = postIds.Except(posts.Select(p => p.Id), StringComparer.Ordinal).ToList();

        try
        {
            await _retry.ExecuteAsync(
                async token =>
                {
                    if (documents.Count > 0)
                    {
                        await index.IndexAsync(documents, token);
                    }

                    await index.DeleteAsync(gone, token);
                },
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var attempts = claimed.Max(c => c.Attempts) + 1;
            var wait = TimeSpan.FromSeconds(Math.Min(options.MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(attempts, 16))));
            var message = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            await db.IndexOutbox
                .Where(x => x.LeaseOwner == claim)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(x => x.Attempts, x => x.Attempts + 1)
                        .SetProperty(x => x.NextAttemptAtUtc, now + wait)
                        .SetProperty(x => x.LastError, message)
                        .SetProperty(x => x.LeaseOwner, (string?)null)
                        .SetProperty(x => x.LeaseUntilUtc, (DateTime?)null),
                    CancellationToken.None);
            status.Failed(time.GetUtcNow(), message);
            Log.IndexBatchFailed(logger, claimed.Count, wait, message);
            return 0;
        }

        KillPoint.Reach("index.written");
        await db.IndexOutbox.Where(x => x.LeaseOwner == claim).ExecuteDeleteAsync(CancellationToken.None);
        status.Succeeded(time.GetUtcNow());
        return claimed.Count;
    }

    /// <summary>
    /// Queues every post when the index is empty but the database is not and nothing is queued: a new or deleted index
    /// folder (or one from before a format change) fills itself again. Returns how many posts were queued.
    /// </summary>
    public async Task<int> RefillIfEmptyAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        if (await db.IndexOutbox.AnyAsync(cancellationToken) || !await db.Posts.AnyAsync(cancellationToken) || await index.CountAsync(cancellationToken) > 0)
        {
            return 0;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return await db.Database.ExecuteSqlAsync(
            $"INSERT INTO \"IndexOutbox\" (\"PostId\", \"EnqueuedAtUtc\", \"Attempts\") SELECT \"Id\", {now}, 0 FROM \"Posts\"",
            cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RefillIfEmptyAsync(stoppingToken);
        }
        catch (Exception e) when (e is IndexUnavailableException or DbUpdateException or System.Data.Common.DbException)
        {
            Log.IndexDrainFailed(logger, e);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var done = 0;
            try
            {
                done = await DrainOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
            {
                // The database itself failed (SQLite busy or locked; PostgreSQL restarting, failing over, unreachable):
                // try again after the poll interval, never stop the process over it.
                status.Failed(time.GetUtcNow(), e.Message);
                Log.IndexDrainFailed(logger, e);
            }

            if (done == 0)
            {
                try
                {
                    await signal.WaitAsync(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
