namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>A new alert as ingestion announces it: codes and data; whoever shows it names them in the reader's language.</summary>
public sealed record NewAlert(long Id, int Severity, string Title, string Source, string Categories, string MatchedTerms, DateTime CreatedAtUtc, bool ExamInProgress);

/// <summary>Where ingestion announces new alerts as they are committed (the host's live queue); optional.</summary>
public interface IAlertFeed
{
    void Publish(NewAlert alert);
}
