namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>Where high and critical alerts are announced (configuration section <c>Notifications</c>).</summary>
public sealed record NotificationOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Gets the lowest severity announced (1 low … 4 critical; default 3, high).</summary>
    public int MinSeverity { get; init; } = 3;

    /// <summary>Gets the robot and webhook targets.</summary>
    public IReadOnlyList<WebhookTarget> Webhooks { get; init; } = [];

    /// <summary>Gets the mail server and recipients, if alerts are also sent by email.</summary>
    public EmailTarget? Email { get; init; }

    /// <summary>Gets the link base of the dashboard, for links in messages (e.g. https://watch.example.edu.cn/).</summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>
    /// Gets whether targets may be on loopback, private or link-local addresses (an intranet webhook or mail server);
    /// default false: a target is checked by the same SSRF guard as the crawler, at connection time.
    /// </summary>
    public bool AllowPrivateNetwork { get; init; }

    /// <summary>The webhook kinds: our JSON, DingTalk and WeCom robots.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["webhook", "dingtalk", "wecom"];

    /// <summary>The TLS modes of the mail server.</summary>
    public static IReadOnlyList<string> TlsModes { get; } = ["auto", "starttls", "tls", "none"];

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (MinSeverity is < 1 or > 4)
        {
            yield return new($"Notifications:MinSeverity must be 1 (low) to 4 (critical) (was {MinSeverity}).", [nameof(MinSeverity)]);
        }

        if (DashboardUrl is { } link && (!link.IsAbsoluteUri || link.Scheme is not ("http" or "https")))
        {
            yield return new($"Notifications:DashboardUrl must be an absolute http(s) URL (was '{link}').", [nameof(DashboardUrl)]);
        }

        for (var i = 0; i < Webhooks.Count; i++)
        {
            var target = Webhooks[i];
            if (!Kinds.Contains(target.Kind))
            {
                yield return new($"Notifications:Webhooks:{i}:Kind must be one of {string.Join(", ", Kinds)} (was '{target.Kind}').", [nameof(Webhooks)]);
            }

            if (target.Url is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            {
                yield return new($"Notifications:Webhooks:{i}:Url must be an absolute http(s) URL (was '{target.Url}').", [nameof(Webhooks)]);
            }
        }

        if (Email is { } email)
        {
            if (string.IsNullOrWhiteSpace(email.Host))
            {
                yield return new("Notifications:Email:Host is empty.", [nameof(Email)]);
            }

            if (email.Port is < 1 or > 65535)
            {
                yield return new($"Notifications:Email:Port must be 1 to 65535 (was {email.Port}).", [nameof(Email)]);
            }

            if (!TlsModes.Contains(email.Tls))
            {
                yield return new($"Notifications:Email:Tls must be one of {string.Join(", ", TlsModes)} (was '{email.Tls}').", [nameof(Email)]);
            }

            if (email.CertificateSha256 is { } pin && EmailTarget.NormalisePin(pin) is null)
            {
                yield return new($"Notifications:Email:CertificateSha256 must be the SHA-256 of the server certificate, 64 hexadecimal digits (colons allowed) (was '{pin}').", [nameof(Email)]);
            }

            foreach (var (address, i) in email.To.Select((a, i) => (a, i)).Prepend((email.From, -1)))
            {
                if (!MimeKit.MailboxAddress.TryParse(address, out _))
                {
                    yield return new($"Notifications:Email:{(i < 0 ? "From" : FormattableString.Invariant($"To:{i}"))} ('{address}') is not an email address.", [nameof(Email)]);
                }
            }
        }
    }
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

/// <summary>Email through an SMTP server (MailKit): STARTTLS when the server offers it, unless <see cref="Tls"/> says otherwise.</summary>
public sealed record EmailTarget
{
    public required string Host { get; init; }

    public int Port { get; init; } = 587;

    /// <summary>Gets how to secure the connection: auto (STARTTLS when offered), starttls, tls, none.</summary>
    public string Tls { get; init; } = "auto";

    public string? User { get; init; }

    public string? Password { get; init; }

    public required string From { get; init; }

    public IReadOnlyList<string> To { get; init; } = [];

    /// <summary>
    /// Gets the SHA-256 of the mail server's certificate, for a server of the authority's own network whose certificate
    /// no public CA signs: that certificate is then trusted (and only it); others still need a valid chain.
    /// </summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>Returns <paramref name="pin"/> as 64 upper-case hex digits (colons and spaces dropped), or null if it is not a SHA-256.</summary>
    public static string? NormalisePin(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var hex = pin.Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal).Trim().ToUpperInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    /// <summary>Gets the name in the delivery log.</summary>
    public string Name => "email:" + Host;
}
