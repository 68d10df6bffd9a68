namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>Asks for the notification outbox to be drained soon (the host queues a background job); optional — the recurring drain catches up.</summary>
public interface INotificationDrain
{
    /// <summary>Asks for <see cref="NotificationOutbox.DrainAsync"/> to run soon; if it never does, the recurring drain sends the rows.</summary>
    void DrainSoon();
}
