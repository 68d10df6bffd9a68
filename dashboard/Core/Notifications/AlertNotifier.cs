using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Messages;
using Microsoft.EntityFrameworkCore;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Dashboard.Notifications;

/// <summary>
/// Announces an alert on every configured target (robots, webhook, email), once per target: a delivery is recorded when a target accepted it,
/// so a retry (<see cref="NotificationOutbox"/> retries with back-off) only sends to the targets that failed, and an
/// alert is never announced twice on the same target. A target's reply body is never shown or logged (a target
/// pointed at an internal service must not turn the notifier into a way to read it): only its status.
/// </summary>
public sealed partial class AlertNotifier(WatchDbContext db, NotificationOptions options, IHttpClientFactory http, TimeProvider time, ILogger<AlertNotifier> logger)
{
    /// <summary>The named HTTP client of the notifications: connections through the SSRF guard, no redirects.</summary>
    public const string HttpClientName = "notifications";

    /// <summary>Adds <see cref="HttpClientName"/>: every connection resolved and checked by the crawler's SSRF guard, redirects not followed.</summary>
    public static IHttpClientBuilder AddHttpClient(IServiceCollection services) =>
        services.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { ConnectCallback = ExamNetWatch.Crawler.Fetching.NetworkGuard.ConnectAsync, AllowAutoRedirect = false, UseProxy = false });

    /// <summary>Sends the alert to every target that has not had it; throws if any target failed (so the outbox retries).</summary>
    public async Task SendAsync(long alertId, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null || alert.Severity < options.MinSeverity)
        {
            return;
        }

        var source = await db.Sources.Where(s => s.Id == alert.SourceId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? "?";
        var done = await db.NotificationDeliveries.Where(d => d.AlertId == alertId).Select(d => d.Target).ToListAsync(cancellationToken);
        var failures = new List<string>();
        foreach (var (name, send) in Deliveries(options, alert, source).Where(d => !done.Contains(d.Name)))
        {
            if (await TryAsync(name, send, alertId, cancellationToken) is { } failure)
            {
                failures.Add(failure);
                continue;
            }

            KillPoint.Reach("notify.target-answered");
            db.NotificationDeliveries.Add(new NotificationDelivery { AlertId = alertId, Target = name, AtUtc = time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(cancellationToken);
        }

        if (failures.Count > 0)
        {
            throw new InvalidOperationException("notification failed: " + string.Join("; ", failures));
        }
    }

    /// <summary>Sends a test message to every target of <paramref name="targets"/> now (no retries, nothing recorded) and says how each went.</summary>
    public async Task<IReadOnlyList<(string Target, string? Error)>> TestAsync(NotificationOptions targets, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var sample = new Alert
        {
            Id = 0,
            PostId = "test",
            Title = $"通知测试（{actor}）：这是一条测试消息，不是告警",
            Categories = Indexer.Detection.Category.Device,
            MatchedTerms = "作弊器",
            Severity = (int)Indexer.Detection.Severity.High,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        var results = new List<(string, string?)>();
        foreach (var (name, send) in Deliveries(targets, sample, "ExamNetWatch"))
        {
            results.Add((name, await TryAsync(name, send, 0, cancellationToken)));
        }

        return results;
    }

    private IEnumerable<(string Name, Func<CancellationToken, Task> Send)> Deliveries(NotificationOptions targets, Alert alert, string source)
    {
        foreach (var target in targets.Webhooks)
        {
            yield return (target.Name, ct => PostAsync(target, alert, source, ct));
        }

        if (targets.Email is { To.Count: > 0 } email)
        {
            yield return (email.Name, ct => SendEmailAsync(email, alert, source, ct));
        }
    }

    private async Task<string?> TryAsync(string name, Func<CancellationToken, Task> send, long alertId, CancellationToken cancellationToken)
    {
        try
        {
            await send(cancellationToken);
            return null;
        }
        catch (Exception e) when ((e as ExamNetWatch.Crawler.Fetching.NetworkRefusedException ?? e.InnerException as ExamNetWatch.Crawler.Fetching.NetworkRefusedException) is { } refused)
        {
            var reason = refused.Message.Replace("the source does not allow private networks", "private networks are not allowed for notifications (Notifications__AllowPrivateNetwork)", StringComparison.Ordinal);
            Log.NotificationFailed(logger, alertId, name, reason);
            return $"{name}: refused by the SSRF guard — {reason}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or IOException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or NotSupportedException or System.Net.Sockets.SocketException or OperationCanceledException or FormatException or MimeKit.ParseException)
        {
            Log.NotificationFailed(logger, alertId, name, e.Message);
            return $"{name}: {e.Message}";
        }
    }

    private async Task PostAsync(WebhookTarget target, Alert alert, string source, CancellationToken cancellationToken)
    {
        using var client = http.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, Address(target)) { Content = JsonContent.Create(Body(target, alert, source)) };
        request.Options.Set(ExamNetWatch.Crawler.Fetching.NetworkGuard.AllowPrivateNetwork, options.AllowPrivateNetwork);
        // One key per alert and target: a receiver that honours it drops the second copy a crash between its answer and
        // our record of it would send (the only duplicate possible; the email's Message-ID does the same).
        request.Headers.Add("Idempotency-Key", FormattableString.Invariant($"examnetwatch-alert-{alert.Id}"));
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(FormattableString.Invariant($"HTTP {(int)response.StatusCode}"));
        }

        // DingTalk and WeCom answer 200 with an errcode when they refuse a message: the code is said, nothing else.
        if (target.Kind is "dingtalk" or "wecom")
        {
            var text = await ReadAtMostAsync(response, 64 * 1024, cancellationToken);
            var code = JsonNode.Parse(text)?["errcode"]?.GetValue<int>();
            if (code is not 0)
            {
                throw new HttpRequestException(code is null ? "HTTP 200 without an errcode" : FormattableString.Invariant($"HTTP 200, errcode {code}"));
            }
        }
    }

    /// <summary>The email for an alert: a plain-text body with the same lines as the robots get.</summary>
    public MimeKit.MimeMessage Email(EmailTarget email, Alert alert, string source)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(alert);
        var message = new MimeKit.MimeMessage();
        message.From.Add(MimeKit.MailboxAddress.Parse(email.From));
        foreach (var to in email.To)
        {
            message.To.Add(MimeKit.MailboxAddress.Parse(to));
        }

        message.Subject = $"【{Names.Severity(alert.Severity)}】考试舆情告警 #{alert.Id}：{alert.Title}";
        // A Message-ID per alert lets mail systems drop a duplicate if a retry races a slow first delivery.
        message.MessageId = FormattableString.Invariant($"alert-{alert.Id}@examnetwatch");
        message.Body = new MimeKit.TextPart("plain") { Text = Lines(alert, alert.Title, source, alert.MatchedTerms) };
        return message;
    }

    private async Task SendEmailAsync(EmailTarget email, Alert alert, string source, CancellationToken cancellationToken)
    {
        using var smtp = new MailKit.Net.Smtp.SmtpClient { Timeout = 15_000 };
        if (email.CertificateSha256 is { } configured && EmailTarget.NormalisePin(configured) is { } pin)
        {
            // A server of the authority's own network: its one certificate is trusted by its SHA-256, any other still
            // needs a valid chain and name.
            smtp.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && string.Equals(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())), pin, StringComparison.Ordinal));
        }

        var security = email.Tls switch
        {
            "none" => MailKit.Security.SecureSocketOptions.None,
            "tls" => MailKit.Security.SecureSocketOptions.SslOnConnect,
            "starttls" => MailKit.Security.SecureSocketOptions.StartTls,
            _ => MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable,
        };
        // The mail server goes through the same guard as the robots (resolved, checked, then connected by address).
        var address = (await ExamNetWatch.Crawler.Fetching.NetworkGuard.ResolveAsync(email.Host, options.AllowPrivateNetwork, cancellationToken))[0];
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync(address, email.Port, cancellationToken);
        await smtp.ConnectAsync(socket, email.Host, email.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(email.User))
        {
            await smtp.AuthenticateAsync(email.User, email.Password ?? string.Empty, cancellationToken);
        }

        await smtp.SendAsync(Email(email, alert, source), cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>The message for one target kind (public for tests of the documented formats).</summary>
    public JsonObject Body(WebhookTarget target, Alert alert, string source)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(alert);
        var link = Link(alert);
        // Robots render markdown: crawled text is escaped so it cannot add links, images or @-mentions (@所有人).
        var title = $"【{Names.Severity(alert.Severity)}】告警 #{alert.Id}：{Markdown(alert.Title)}";
        var lines = Lines(alert, Markdown(alert.Title), Markdown(source), Markdown(alert.MatchedTerms));
        return target.Kind switch
        {
            // DingTalk custom robot: {"msgtype":"markdown","markdown":{"title":…,"text":…}}.
            "dingtalk" => new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = title, ["text"] = "### " + lines.Replace("\n", "\n\n", StringComparison.Ordinal) } },
            // WeCom group robot: {"msgtype":"markdown","markdown":{"content":…}}.
            "wecom" => new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = lines } },
            _ => new JsonObject
            {
                ["event"] = "alert.raised",
                ["id"] = alert.Id,
                ["severity"] = ((ExamNetWatch.Indexer.Detection.Severity)alert.Severity).ToString().ToLowerInvariant(),
                ["score"] = alert.Score,
                ["title"] = alert.Title,
                ["source"] = source,
                ["categories"] = new JsonArray([.. alert.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => (JsonNode)c)]),
                ["matchedTerms"] = alert.MatchedTerms,
                ["createdAt"] = new DateTimeOffset(DateTime.SpecifyKind(alert.CreatedAtUtc, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture),
                ["url"] = link,
            },
        };
    }

    /// <summary>
    /// Escapes crawled text for the robots' markdown: every markdown sign gets a backslash, <c>@</c> becomes the
    /// full-width <c>＠</c> (no mention can be triggered), line breaks and control characters become spaces, and the
    /// text is cut at 200 characters.
    /// </summary>
    public static string Markdown(string? text)
    {
        var clipped = (text ?? string.Empty).Length > 200 ? text![..200] + "…" : text ?? string.Empty;
        var escaped = new StringBuilder(clipped.Length + 16);
        foreach (var c in clipped)
        {
            if (c is '@' or '<' or '>')
            {
                // Full-width forms: no mention, no <font>/<a> tag, whatever markdown dialect the robot speaks.
                escaped.Append(c switch { '@' => '＠', '<' => '＜', _ => '＞' });
            }
            else if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                escaped.Append(' ');
            }
            else
            {
                if ("\\`*_{}[]()#+-.!|~=".Contains(c, StringComparison.Ordinal))
                {
                    escaped.Append('\\');
                }

                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private string? Link(Alert alert) => options.DashboardUrl is { } baseUrl ? new Uri(baseUrl, $"Alerts/Detail/{alert.Id}").ToString() : null;

    private string Lines(Alert alert, string title, string source, string terms) =>
        $"【{Names.Severity(alert.Severity)}】告警 #{alert.Id}：{title}\n来源：{source}\n类别：{Names.Categories(alert.Categories)}\n命中：{terms}\n时间：{Hosting.BeijingTime.Format(alert.CreatedAtUtc)}（北京时间）{(Link(alert) is { } link ? "\n" + link : "")}";

    /// <summary>The URL to post to; a DingTalk robot with a secret gets timestamp and sign parameters.</summary>
    public Uri Address(WebhookTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Kind != "dingtalk" || string.IsNullOrEmpty(target.Secret))
        {
            return target.Url;
        }

        // DingTalk: sign = urlencode(base64(HmacSHA256(key: secret, message: timestamp + "\n" + secret))), timestamp in ms.
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(target.Secret), Encoding.UTF8.GetBytes(timestamp + "\n" + target.Secret)));
        var separator = string.IsNullOrEmpty(target.Url.Query) ? "?" : "&";
        return new Uri(target.Url + separator + "timestamp=" + timestamp + "&sign=" + Uri.EscapeDataString(sign));
    }

    private static async Task<string> ReadAtMostAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[limit];
        var read = 0;
        int n;
        while (read < limit && (n = await stream.ReadAsync(buffer.AsMemory(read, limit - read), cancellationToken)) > 0)
        {
            read += n;
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
