using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Sources;

/// <summary>Whether a source is crawled now, and if not, why — as staff read it.</summary>
public sealed record SourceStatus(string Code, string Reason)
{
    /// <summary>Computes the status of <paramref name="source"/> (with its authorisations loaded) at <paramref name="nowUtc"/>.</summary>
    public static SourceStatus Of(Source source, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Enabled)
        {
            return new("disabled", "已停用");
        }

        if (source.AuthorisationAt(nowUtc) is { } current)
        {
            return new("active", $"授权有效至 {Rendering.Labels.BeijingTime(current.ValidUntilUtc)}（{current.Basis}）");
        }

        var future = source.Authorisations.Where(a => a.ValidFromUtc > nowUtc).OrderBy(a => a.ValidFromUtc).FirstOrDefault();
        if (future is not null)
        {
            return new("not-yet-valid", $"授权自 {Rendering.Labels.BeijingTime(future.ValidFromUtc)} 起生效（{future.Basis}），此前不抓取");
        }

        var last = source.Authorisations.OrderByDescending(a => a.ValidUntilUtc).FirstOrDefault();
        return last is null
            ? new("unauthorised", "没有书面授权，不抓取")
            : new("expired", $"授权已于 {Rendering.Labels.BeijingTime(last.ValidUntilUtc)} 过期（{last.Basis}），已停止抓取");
    }

    /// <summary>Gets whether the source may be crawled.</summary>
    public bool IsActive => Code == "active";
}
