using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Messages;

namespace ExamNetWatch.Dashboard.Sources;

/// <summary>Whether a source is crawled now, and if not, why — as staff read it.</summary>
public sealed record SourceStatus(string Code, StaffText Reason)
{
    /// <summary>Computes the status of <paramref name="source"/> (with its authorisations loaded) at <paramref name="nowUtc"/>.</summary>
    public static SourceStatus Of(Source source, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Enabled)
        {
            return new("disabled", new StaffText("已停用"));
        }

        if (source.AuthorisationAt(nowUtc) is { } current)
        {
            return new("active", new StaffText("授权有效至 {0}（{1}）", BeijingTime.FormatUntil(current.ValidUntilUtc), current.Basis));
        }

        var future = source.Authorisations.Where(a => a.RevokedAtUtc is null && a.ValidFromUtc > nowUtc).OrderBy(a => a.ValidFromUtc).FirstOrDefault();
        if (future is not null)
        {
            return new("not-yet-valid", new StaffText("授权自 {0} 起生效（{1}），此前不抓取", BeijingTime.FormatFrom(future.ValidFromUtc), future.Basis));
        }

        var last = source.Authorisations.OrderByDescending(a => a.RevokedAtUtc ?? a.ValidUntilUtc).FirstOrDefault();
        return last is null
            ? new("unauthorised", new StaffText("没有书面授权，不抓取"))
            : last.RevokedAtUtc is { } revoked
            ? new("revoked", new StaffText("授权已于 {0} 撤销（{1}），已停止抓取", BeijingTime.Format(revoked), last.Basis))
            : new("expired", new StaffText("授权有效期已于 {0} 结束（{1}），已停止抓取", BeijingTime.FormatUntil(last.ValidUntilUtc), last.Basis));
    }

    /// <summary>How long before an authorisation ends staff are warned to renew it.</summary>
    public static readonly TimeSpan RenewalWarning = TimeSpan.FromDays(14);

    /// <summary>Returns a warning when the authorisation in force ends within <see cref="RenewalWarning"/> and none follows it.</summary>
    public static StaffText? Warning(Source source, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Enabled || source.AuthorisationAt(nowUtc) is not { } current || current.ValidUntilUtc - nowUtc > RenewalWarning)
        {
            return null;
        }

        // A renewal that starts before the current one ends keeps the source covered.
        if (source.Authorisations.Any(a => a.RevokedAtUtc is null && a.ValidFromUtc <= current.ValidUntilUtc && a.ValidUntilUtc > current.ValidUntilUtc + RenewalWarning))
        {
            return null;
        }

        var days = Math.Max(0, (int)Math.Ceiling((current.ValidUntilUtc - nowUtc).TotalDays));
        return new StaffText("授权有效至 {0}（剩 {1} 天），请及时续期", BeijingTime.FormatUntil(current.ValidUntilUtc), days);
    }

    /// <summary>Gets whether the source may be crawled.</summary>
    public bool IsActive => Code == "active";
}
