using System.Text.Json;
using System.Threading.Channels;

namespace ExamNetWatch.Dashboard.Live;

/// <summary>A new alert as the live queue shows it, labelled in the language of the page that receives it.</summary>
public sealed record AlertEvent(long Id, int Severity, string SeverityLabel, string Title, string Source, string Categories, string MatchedTerms, string Time, bool ExamInProgress)
{
    /// <summary>Gets the mark of a group chat's alert ("QQ群", "微信群"); null for a forum's.</summary>
    public string? Chat { get; init; }

    /// <summary>Gets when the post was made (Beijing, short), if known: the queue's time column shows it.</summary>
    public string? Posted { get; init; }

    /// <summary>Gets the time the alert was raised, short (the queue shows it under the post's time).</summary>
    public string? Raised { get; init; }

    /// <summary>Labels <paramref name="alert"/> in the current UI language (the watcher's, on the streaming request).</summary>
    public static AlertEvent For(Ingestion.NewAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.Id, alert.Severity, Rendering.Labels.Severity(alert.Severity), alert.Title, alert.Source, Rendering.Labels.Categories(alert.Categories), alert.MatchedTerms, Rendering.Labels.BeijingTime(alert.CreatedAtUtc), alert.ExamInProgress)
        {
            Chat = Rendering.Labels.ChatKind(alert.SourceKind),
            Posted = alert.PostedAtUtc is { } posted ? Rendering.Labels.ShortTime(posted) : null,
            Raised = Localization.UiText.Format("告警 {0}", Rendering.Labels.ShortTime(alert.CreatedAtUtc)),
        };
    }
}

/// <summary>
/// Fans new alerts out to every open queue page (server-sent events), each labelled in that page's language when it is
/// written to it. Each subscriber has a small bounded buffer; a page that does not keep up loses the oldest events and is
/// told to reload, so a slow browser never holds up ingest.
/// </summary>
public sealed class AlertBroadcaster : Ingestion.IAlertFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<Ingestion.NewAlert>> _subscribers = [];

    /// <summary>Gets how many pages listen now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Sends <paramref name="alert"/> to every listening page.</summary>
    public void Publish(Ingestion.NewAlert alert)
    {
        lock (_gate)
        {
            foreach (var channel in _subscribers)
            {
                channel.Writer.TryWrite(alert);
            }
        }
    }

    /// <summary>Streams events to <paramref name="response"/> as text/event-stream until the client goes away.</summary>
    public Task StreamAsync(HttpResponse response, CancellationToken cancellationToken) => StreamAsync(response, static () => Task.FromResult(true), cancellationToken);

    /// <summary>
    /// Streams events to <paramref name="response"/> until the client goes away or <paramref name="stillAllowed"/> says
    /// the account may no longer see them (asked before every event and at every 15 s heartbeat): a disabled account,
    /// a signed-out session or a changed role stops receiving at once.
    /// </summary>
    public async Task StreamAsync(HttpResponse response, Func<Task<bool>> stillAllowed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stillAllowed);
        ArgumentNullException.ThrowIfNull(response);
        var channel = Channel.CreateBounded<Ingestion.NewAlert>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
        }

        try
        {
            response.Headers.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.WriteAsync(": connected\n\n", cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                try
                {
                    var alert = await channel.Reader.ReadAsync(heartbeat.Token);
                    if (!await stillAllowed())
                    {
                        break;
                    }

                    await response.WriteAsync($"event: alert\ndata: {JsonSerializer.Serialize(AlertEvent.For(alert), JsonSerializerOptions.Web)}\n\n", cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (!await stillAllowed())
                    {
                        break;
                    }

                    await response.WriteAsync(": ping\n\n", cancellationToken);
                }

                await response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }
}
