using ExamNetWatch.Dashboard.Data;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>Where Hangfire keeps its queues.</summary>
public enum JobStorageKind
{
    /// <summary><c>hangfire.db</c> in the data directory: one process (the embedded default).</summary>
    Sqlite,

    /// <summary>Tables in a PostgreSQL schema: any number of web and worker processes share them.</summary>
    PostgreSql,
}

/// <summary>What a process does (<c>serve --role</c>).</summary>
public enum HostRole
{
    /// <summary>The dashboard and the job server in one process (the embedded default).</summary>
    All,

    /// <summary>The dashboard and the live queue; jobs are queued for the workers.</summary>
    Web,

    /// <summary>The job server (crawls, ingestion, index outbox, notifications, retention, exam cadence) and health endpoints.</summary>
    Worker,
}

/// <summary>
/// Hangfire's settings (configuration section <c>Jobs</c>): <c>Jobs:Storage</c> <c>Sqlite</c> (default) or
/// <c>PostgreSql</c>, its connection string (default: <c>Storage:ConnectionString</c>) and schema, and how many jobs a
/// process runs at once.
/// </summary>
public sealed record JobsOptions
{
    public JobStorageKind Storage { get; init; } = JobStorageKind.Sqlite;

    /// <summary>Gets the PostgreSQL connection string of Hangfire's tables; null: the store's (<c>Storage:ConnectionString</c>).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Gets the PostgreSQL schema of Hangfire's tables.</summary>
    public string Schema { get; init; } = "hangfire";

    /// <summary>Gets how many jobs one process runs at once.</summary>
    public int WorkerCount { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 8);

    /// <summary>
    /// Gets how long a job fetched by a worker that then died stays invisible before another worker takes it
    /// (PostgreSQL). Running jobs keep their claim alive (Hangfire.PostgreSql's sliding invisibility timeout, renewed
    /// every fifth of it), so this bounds how soon a killed worker's crawl is retried elsewhere, not how long a job may run.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets how long a Hangfire lock (only the retention run takes one) holds before another worker may break it
    /// (PostgreSQL). A lock is not renewed: longer than the longest retention run, short enough that a killed worker's
    /// lock does not hold the next run back for long. Crawls use their own renewed lease; the other jobs need no lock.
    /// </summary>
    public TimeSpan DistributedLockTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Returns the connection string Hangfire uses on PostgreSQL.</summary>
    public string? EffectiveConnectionString(StorageOptions storage) => ConnectionString ?? storage?.EffectiveConnectionString();
}

/// <summary>Checks <see cref="JobsOptions"/> against the store and the role of the process; messages name the settings.</summary>
public sealed class JobsOptionsValidation(IOptions<StorageOptions> storage, IOptions<ExamNetWatch.Indexer.Indexing.IndexOptions> index, HostSettings settings) : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Storage))
        {
            failures.Add("Jobs:Storage must be Sqlite or PostgreSql.");
        }

        if (options.WorkerCount is < 1 or > 64)
        {
            failures.Add($"Jobs:WorkerCount must be between 1 and 64 (is {options.WorkerCount}).");
        }

        if (options.InvisibilityTimeout < TimeSpan.FromSeconds(15) || options.InvisibilityTimeout > TimeSpan.FromHours(6))
        {
            failures.Add($"Jobs:InvisibilityTimeout must be between 00:00:15 and 06:00:00 (is {options.InvisibilityTimeout}).");
        }

        if (options.DistributedLockTimeout < TimeSpan.FromSeconds(10) || options.DistributedLockTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"Jobs:DistributedLockTimeout must be between 00:00:10 and 01:00:00 (is {options.DistributedLockTimeout}).");
        }

        if (string.IsNullOrWhiteSpace(options.Schema) || !options.Schema.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            failures.Add("Jobs:Schema must be a PostgreSQL schema name of lower-case letters, digits and _ .");
        }

        if (options.Storage == JobStorageKind.PostgreSql && string.IsNullOrWhiteSpace(options.EffectiveConnectionString(storage.Value)))
        {
            failures.Add("Jobs:Storage=PostgreSql needs Jobs:ConnectionString, or Storage:ConnectionString with Storage:Provider=PostgreSql.");
        }

        if (settings.Role != HostRole.All && (options.Storage != JobStorageKind.PostgreSql || storage.Value.Provider != StorageProvider.PostgreSql))
        {
            failures.Add($"serve --role {settings.Role.ToString().ToLowerInvariant()} needs Storage:Provider=PostgreSql and Jobs:Storage=PostgreSql: separate web and worker processes share the store and the queues through PostgreSQL (the embedded SQLite default runs as --role all).");
        }

        if (settings.Role != HostRole.All && index.Value.EffectiveProvider != ExamNetWatch.Indexer.Indexing.IndexProvider.Elasticsearch)
        {
            failures.Add($"serve --role {settings.Role.ToString().ToLowerInvariant()} needs Index:Provider=Elasticsearch (Index:ElasticsearchUrl): the embedded Lucene index lives in one process's data directory, so workers would each fill their own and the web process would search an empty one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
