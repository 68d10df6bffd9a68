using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Notifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>
/// Settings for admins: where high and critical alerts are announced (webhook, DingTalk and WeCom robots, email),
/// from which severity, and a test message to every target. Saved in the database for every process; secrets are
/// never shown again, and the audit entry names targets only.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class SettingsModel(WatchDbContext db, AuditLog audit, NotificationOptions current, AlertNotifier notifier, TimeProvider time, Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection) : PageModel
{
    public static IReadOnlyList<string> Kinds => NotificationOptions.Kinds;

    public NotificationOptions Current { get; private set; } = current;

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<(string Target, string? Error)>? TestResults { get; private set; }

    public SettingEntry? Saved { get; private set; }

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostGeneralAsync(int minSeverity, string? dashboardUrl, CancellationToken cancellationToken)
    {
        if (minSeverity is < 1 or > 4)
        {
            return Fail(UiText.Get("最低严重程度无效。"));
        }

        Uri? link = null;
        if (!string.IsNullOrWhiteSpace(dashboardUrl) && (!Uri.TryCreate(dashboardUrl.Trim(), UriKind.Absolute, out link) || link.Scheme is not ("http" or "https")))
        {
            return Fail(UiText.Get("系统地址必须是 http(s) 网址。"));
        }

        return await SaveAsync(Current with { MinSeverity = minSeverity, DashboardUrl = link }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAddWebhookAsync(string? kind, string? url, string? secret, CancellationToken cancellationToken)
    {
        if (kind is null || !Kinds.Contains(kind) || !Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            return Fail(UiText.Get("请选择类型并填写 http(s) 网址。"));
        }

        var target = new WebhookTarget { Kind = kind, Url = address, Secret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim() };
        if (Current.Webhooks.Any(w => w.Name == target.Name))
        {
            return Fail(UiText.Get("已有相同的通知目标。"));
        }

        return await SaveAsync(Current with { Webhooks = [.. Current.Webhooks, target] }, cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveWebhookAsync(string? name, CancellationToken cancellationToken) =>
        await SaveAsync(Current with { Webhooks = [.. Current.Webhooks.Where(w => w.Name != name)] }, cancellationToken);

    public async Task<IActionResult> OnPostEmailAsync(string? host, int port, string? tls, string? user, string? password, string? from, string? to, string? certificate, bool enabled, CancellationToken cancellationToken)
    {
        if (!enabled)
        {
            return await SaveAsync(Current with { Email = null }, cancellationToken);
        }

        var recipients = (to ?? string.Empty).Split([',', '，', ';', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (string.IsNullOrWhiteSpace(host) || port is < 1 or > 65535 || string.IsNullOrWhiteSpace(from) || recipients.Length == 0
            || !MimeKit.MailboxAddress.TryParse(from.Trim(), out _) || recipients.Any(r => !MimeKit.MailboxAddress.TryParse(r, out _)))
        {
            return Fail(UiText.Get("请填写邮件服务器、端口、有效的发件人和收件人地址。"));
        }

        var pin = string.IsNullOrWhiteSpace(certificate) ? null : EmailTarget.NormalisePin(certificate);
        if (!string.IsNullOrWhiteSpace(certificate) && pin is null)
        {
            return Fail(UiText.Get("服务器证书指纹应为 64 位十六进制的 SHA-256（可含冒号）。"));
        }

        var email = new EmailTarget
        {
            Host = host.Trim(),
            Port = port,
            Tls = tls is "auto" or "starttls" or "tls" or "none" ? tls : "auto",
            User = string.IsNullOrWhiteSpace(user) ? null : user.Trim(),
            // A blank password keeps the saved one: passwords are never sent back to the browser.
            Password = string.IsNullOrEmpty(password) ? Current.Email?.Password : password,
            From = from.Trim(),
            To = recipients,
            CertificateSha256 = pin,
        };
        return await SaveAsync(Current with { Email = email }, cancellationToken);
    }

    public async Task<IActionResult> OnPostTestAsync(CancellationToken cancellationToken)
    {
        Load();
        TestResults = await notifier.TestAsync(Current, User.Identity!.Name!, cancellationToken);
        audit.Add(db, User.Identity!.Name!, AuditActions.SettingsNotificationsTest, "settings:" + NotificationSettings.Key, string.Join("; ", TestResults.Select(r => r.Target + (r.Error is null ? " ok" : " failed"))), RemoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return Page();
    }

    private string? RemoteAddress => HttpContext.Connection.RemoteIpAddress?.ToString();

    private async Task<IActionResult> SaveAsync(NotificationOptions options, CancellationToken cancellationToken)
    {
        NotificationSettings.Save(db, audit, options, protection.CreateProtector(NotificationSettings.SecretPurpose), User.Identity!.Name!, RemoteAddress, time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        TempData["SettingsMessage"] = UiText.Get("设置已保存，新告警按此通知。");
        return RedirectToPage();
    }

    private PageResult Fail(string error)
    {
        Load();
        Error = error;
        return Page();
    }

    private void Load()
    {
        Message ??= TempData["SettingsMessage"] as string;
        Saved = db.Settings.Find(NotificationSettings.Key);
    }
}
