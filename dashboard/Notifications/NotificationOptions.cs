namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>Where high and critical alerts are announced (configuration section <c>Notifications</c>).</summary>
public sealed record NotificationOptions
{
    /// <summary>Gets the lowest severity announced (1 low … 4 critical; default 3, high).</summary>
    public int MinSeverity { get; init; } = 3;

    /// <summary>Gets the robot and webhook targets.</summary>
    public IReadOnlyList<WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>Gets the link base of the dashboard, for links in messages (e.g. https://watch.example.edu.cn/).</summary>
    public Uri? DashboardUrl { get; init; }
}

/// <summary>
/// One target: <c>webhook</c> (our JSON), <c>dingtalk</c> (DingTalk custom robot; with <see cref="Secret"/> the
/// request is signed as DingTalk documents: timestamp and HMAC-SHA256) or <c>wecom</c> (WeCom group robot).
/// </summary>
public sealed record WebhookTarget
{
    public required string Kind { get; init; }

    public required Uri Url { get; init; }

    public string? Secret { get; init; }

    /// <summary>Gets a name for the delivery log (default: the kind and host).</summary>
    public string Name => Kind + ":" + Url.Host + Url.AbsolutePath;
}
