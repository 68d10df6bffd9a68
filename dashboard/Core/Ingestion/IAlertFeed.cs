namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>A new alert as ingestion announces it: codes and data; whoever shows it names them in the reader's language.</summary>
public sealed record NewAlert(long Id, int Severity, string Title, string Source, string Categories, string MatchedTerms, DateTime CreatedAtUtc, bool ExamInProgress)
{
    /// <summary>Gets the kind of the alert's source (<see cref="Data.SourceKinds"/>): a group chat is marked as one in the queue.</summary>
    public string SourceKind { get; init; } = Data.SourceKinds.Forum;

    /// <summary>Gets when the post was made or the message sent (UTC), if the page or export says.</summary>
    public DateTime? PostedAtUtc { get; init; }
}

/// <summary>Where ingestion announces new alerts as they are committed (the host's live queue); optional.</summary>
public interface IAlertFeed
{
    void Publish(NewAlert alert);
}

/// <summary>
/// A feed whose announcement can join the transaction that commits the alert (PostgreSQL's <c>NOTIFY</c> is delivered
/// on commit and dropped on rollback): announced exactly when the alert exists, even if the process dies right after.
/// </summary>
public interface ITransactionalAlertFeed : IAlertFeed
{
    /// <summary>Queues the announcement of <paramref name="alert"/> in <paramref name="db"/>'s open transaction.</summary>
    Task PublishWithinAsync(ExamNetWatch.Dashboard.Data.WatchDbContext db, NewAlert alert, CancellationToken cancellationToken);
}
