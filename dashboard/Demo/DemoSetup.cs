using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Demo;

/// <summary>Registers the demo forum as an authorised source (or points the existing one at this run's address).</summary>
public sealed class DemoSetup(WatchDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>The demo source's name.</summary>
    public const string SourceName = "演示论坛 · 中考交流";

    /// <summary>The demo account's user name.</summary>
    public const string UserName = "demo";

    /// <summary>The demo's administrator account.</summary>
    public const string AdminUserName = "demo-admin";

    /// <summary>Registers or updates the demo source and returns its id.</summary>
    public async Task<int> RegisterSourceAsync(DemoForum forum, string schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forum);
        var now = time.GetUtcNow().UtcDateTime;
        var source = await db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Name == SourceName, cancellationToken);
        var entry = forum.BoardUrl.ToString();
        var scope = new Uri(forum.BaseAddress, "forum.php").ToString();
        if (source is null)
        {
            source = new Source { Name = SourceName, EntryUrls = entry, ScopePrefixes = scope, Schedule = schedule, CreatedAtUtc = now };
            db.Sources.Add(source);
            audit.Add(db, UserName, AuditActions.SourceRegister, "source:" + SourceName, entry);
        }
        else if (source.EntryUrls != entry || source.ScopePrefixes != scope)
        {
            source.EntryUrls = entry;
            source.ScopePrefixes = scope;
            audit.Add(db, UserName, AuditActions.SourceUpdate, "source:" + SourceName, "demo forum address: " + entry);
        }

        source.Enabled = true;
        source.Schedule = schedule;
        // The demo forum is this machine's own server: loopback must be allowed, and no politeness delay is needed.
        source.AllowPrivateNetwork = true;
        source.MinDelaySeconds = 0.05;
        if (source.AuthorisationAt(now) is null)
        {
            source.Authorisations.Add(new SourceAuthorisation
            {
                Basis = "演考院〔2026〕1号（演示用，非真实文件）",
                ApprovedBy = "演示市教育考试院",
                ScopeNote = "本机演示论坛“中考交流”版块公开帖子，仅用于演示",
                ValidFromUtc = now.AddDays(-1),
                ValidUntilUtc = now.AddDays(365),
                RegisteredBy = UserName,
                RegisteredAtUtc = now,
            });
            audit.Add(db, UserName, AuditActions.AuthorisationRegister, "source:" + SourceName, "演考院〔2026〕1号");
        }

        await db.SaveChangesAsync(cancellationToken);
        await RegisterExamsAsync(now, cancellationToken);
        return source.Id;
    }

    /// <summary>
    /// An exam calendar for the demo when it has none: two papers in three and four days (Beijing 09:00–11:30), so
    /// severity shows what the calendar does — a concrete offer this close to an exam is critical, others less.
    /// </summary>
    private async Task RegisterExamsAsync(DateTime now, CancellationToken cancellationToken)
    {
        if (await db.ExamSlots.AnyAsync(cancellationToken))
        {
            return;
        }

        var today = Hosting.BeijingTime.DayOf(now);
        foreach (var (subject, days) in new[] { ("语文", 3), ("数学", 4) })
        {
            var start = Hosting.BeijingTime.StartUtc(today.AddDays(days)).AddHours(9);
            db.ExamSlots.Add(new ExamSlot { Exam = "2026年中考（演示）", Subject = subject, StartsAtUtc = start, EndsAtUtc = start.AddHours(2.5) });
            audit.Add(db, UserName, AuditActions.ExamAdd, "exam:2026年中考（演示）", FormattableString.Invariant($"{subject} {start:u} – {start.AddHours(2.5):u}"));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
