using Cronos;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Sources;

/// <summary>
/// The store and rules of sources: a source is registered only with a written authorisation, a scope that holds its
/// entry pages, a valid schedule and profile; every change is audited.
/// </summary>
public sealed class SourceRegistry(WatchDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>Registers a source and its authorisation.</summary>
    /// <exception cref="ArgumentException">The registration breaks a rule; the message says which.</exception>
    public async Task<Source> AddAsync(SourceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Validate(registration);
        if (await db.Sources.AnyAsync(s => s.Name == registration.Name, cancellationToken))
        {
            throw new ArgumentException($"A source named '{registration.Name}' is already registered.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var source = new Source { Name = registration.Name, EntryUrls = string.Empty, ScopePrefixes = string.Empty, Schedule = string.Empty, CreatedAtUtc = now };
        var target = "source:" + registration.Name;
        if (registration.Kind == SourceKinds.Forum)
        {
            Apply(source, registration.Settings);
            audit.Add(db, registration.RegisteredBy, AuditActions.SourceRegister, target, $"entry {string.Join(' ', registration.EntryUrls)}; scope {string.Join(' ', registration.ScopePrefixes)}; profile {registration.Profile}; schedule {registration.Schedule}");
        }
        else
        {
            // A group chat: imported from a member's exports, never crawled (no entry, scope or schedule).
            source.Kind = registration.Kind;
            source.ChatGroupId = registration.ChatGroupId!.Trim();
            source.ChatMember = registration.ChatMember!.Trim();
            audit.Add(db, registration.RegisteredBy, AuditActions.SourceRegister, target, $"{registration.Kind} {source.ChatGroupId}; exported by {source.ChatMember}");
        }

        source.Authorisations.Add(NewAuthorisation(registration.Authorisation, now));
        db.Sources.Add(source);
        audit.Add(db, registration.RegisteredBy, AuditActions.AuthorisationRegister, target, Describe(registration.Authorisation));
        if (registration.IgnoreRobotsReason is not null)
        {
            audit.Add(db, registration.RegisteredBy, AuditActions.SourceRobotsOverride, target, registration.IgnoreRobotsReason);
        }

        if (registration.AllowPrivateNetwork)
        {
            audit.Add(db, registration.RegisteredBy, AuditActions.SourceAllowPrivateNetwork, target);
        }

        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Lists every source with its authorisations.</summary>
    public async Task<IReadOnlyList<Source>> ListAsync(CancellationToken cancellationToken) =>
        await db.Sources.Include(s => s.Authorisations).OrderBy(s => s.Id).ToListAsync(cancellationToken);

    /// <summary>Finds a source by id or name.</summary>
    public Task<Source?> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        int.TryParse(idOrName, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            : db.Sources.Include(s => s.Authorisations).SingleOrDefaultAsync(s => s.Name == idOrName, cancellationToken);

    /// <summary>Stops crawling a source; its data stays.</summary>
    public async Task<Source?> DisableAsync(string idOrName, string actor, string? reason, CancellationToken cancellationToken)
    {
        var source = await FindAsync(idOrName, cancellationToken);
        if (source is null)
        {
            return null;
        }

        source.Enabled = false;
        audit.Add(db, actor, AuditActions.SourceDisable, "source:" + source.Name, reason);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>
    /// Starts the sweep of a source's boards again at its next crawl — the whole history (<paramref name="sinceUtc"/>
    /// null) or back to the start of a Beijing day: the boards' sweep progress is forgotten (threads keep theirs, so
    /// unchanged threads are not read again), and the range is kept for the sweep's later crawls. Audited.
    /// </summary>
    /// <param name="queue">Queues the crawl now, once the progress is forgotten, and returns its job id (recorded in the
    /// audit entry); null: the next scheduled crawl sweeps.</param>
    public async Task<(Source Source, string? Job)?> RestartSweepAsync(string idOrName, DateTime? sinceUtc, string actor, Func<int, string>? queue, string? remoteAddress, CancellationToken cancellationToken)
    {
        var source = await FindAsync(idOrName, cancellationToken);
        if (source is null)
        {
            return null;
        }

        source.SweepSinceUtc = sinceUtc;
        await db.SaveChangesAsync(cancellationToken);
        await db.CrawlBoards.Where(b => b.SourceId == source.Id).ExecuteDeleteAsync(cancellationToken);
        var job = queue?.Invoke(source.Id);
        var range = sinceUtc is { } from ? "自 " + BeijingTime.DayOf(from).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "全部历史";
        audit.Add(db, actor, AuditActions.SourceSweep, "source:" + source.Name, job is null ? range + "，下次抓取时扫描" : range + "，job " + job, remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return (source, job);
    }

    /// <summary>Starts crawling a disabled source again (while an authorisation is in force).</summary>
    public async Task<Source?> EnableAsync(string idOrName, string actor, string? remoteAddress, CancellationToken cancellationToken)
    {
        var source = await FindAsync(idOrName, cancellationToken);
        if (source is null)
        {
            return null;
        }

        source.Enabled = true;
        audit.Add(db, actor, AuditActions.SourceEnable, "source:" + source.Name, null, remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Changes what and how a source is crawled; the audit entry lists what changed.</summary>
    /// <exception cref="ArgumentException">The settings break a rule; nothing changes.</exception>
    public async Task<Source?> UpdateAsync(int id, SourceSettings settings, string actor, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var source = await FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        if (source is null)
        {
            return null;
        }

        Require(!source.IsChat, "a group chat is imported from exports: it has no crawl settings to change");
        ValidateSettings(source.Name, settings);
        var before = SettingsOf(source);
        var changes = new List<string>();
        void Note(string field, object? was, object? now)
        {
            if (!Equals(was, now))
            {
                changes.Add($"{field}: {was ?? "—"} → {now ?? "—"}");
            }
        }

        Note("entry", string.Join(' ', before.EntryUrls), string.Join(' ', settings.EntryUrls));
        Note("scope", string.Join(' ', before.ScopePrefixes), string.Join(' ', settings.ScopePrefixes));
        Note("profile", before.Profile, settings.Profile);
        Note("schedule", before.Schedule, settings.Schedule);
        Note("min-delay", before.MinDelaySeconds, settings.MinDelaySeconds);
        Note("exam-critical", before.ExamCritical, settings.ExamCritical);
        Note("allow-private-network", before.AllowPrivateNetwork, settings.AllowPrivateNetwork);
        Note("ignore-robots", before.IgnoreRobotsReason, settings.IgnoreRobotsReason);
        if (changes.Count == 0)
        {
            return source;
        }

        Apply(source, settings);
        audit.Add(db, actor, AuditActions.SourceUpdate, "source:" + source.Name, string.Join("; ", changes), remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Adds a written authorisation (a renewal or an extension of scope) to a source.</summary>
    /// <exception cref="ArgumentException">The authorisation breaks a rule; nothing changes.</exception>
    public async Task<Source?> AuthoriseAsync(int id, AuthorisationRegistration authorisation, string? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authorisation);
        ValidateAuthorisation(authorisation);
        var source = await FindAsync(id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        if (source is null)
        {
            return null;
        }

        source.Authorisations.Add(NewAuthorisation(authorisation, time.GetUtcNow().UtcDateTime));
        audit.Add(db, authorisation.RegisteredBy, AuditActions.AuthorisationRegister, "source:" + source.Name, Describe(authorisation), remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Withdraws an authorisation before its end (the approver revoked it, or it was registered in error).</summary>
    /// <exception cref="ArgumentException">No reason given, or the authorisation is already withdrawn or over.</exception>
    public async Task<Source?> RevokeAsync(int sourceId, int authorisationId, string actor, string? reason, string? remoteAddress, CancellationToken cancellationToken)
    {
        Require(!string.IsNullOrWhiteSpace(reason), "revoking an authorisation needs a reason");
        var source = await FindAsync(sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        if (source?.Authorisations.SingleOrDefault(a => a.Id == authorisationId) is not { } authorisation)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        Require(authorisation.RevokedAtUtc is null && authorisation.ValidUntilUtc > now, "the authorisation is already withdrawn or over");
        authorisation.RevokedAtUtc = now;
        authorisation.Revocation = $"{actor}: {reason!.Trim()}";
        audit.Add(db, actor, AuditActions.AuthorisationRevoke, "source:" + source.Name, $"{authorisation.Basis}: {reason.Trim()}", remoteAddress);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Checks a registration against the rules.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message says which.</exception>
    public static void Validate(SourceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Require(SourceKinds.All.Contains(registration.Kind), $"kind must be one of {string.Join(", ", SourceKinds.All)}");
        if (registration.Kind == SourceKinds.Forum)
        {
            ValidateSettings(registration.Name, registration.Settings);
        }
        else
        {
            Require(!string.IsNullOrWhiteSpace(registration.Name), "a source needs a name");
            Require(registration.EntryUrls.Count == 0 && registration.ScopePrefixes.Count == 0, "a group chat is imported from exports, not crawled: it has no entry URL or scope");
            Require(!string.IsNullOrWhiteSpace(registration.ChatGroupId) && registration.ChatGroupId.Trim().Length <= 100, "a group chat needs the group's id, e.g. its QQ group number (--group)");
            Require(!string.IsNullOrWhiteSpace(registration.ChatMember) && registration.ChatMember.Trim().Length <= 100, "a group chat needs the member who exports its history under the authorisation (--member)");
        }

        ValidateAuthorisation(registration.Authorisation);
    }

    /// <summary>Checks what and how a source is crawled: entries inside the scope, a known profile, a cron schedule.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message says which.</exception>
    public static void ValidateSettings(string name, SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Require(!string.IsNullOrWhiteSpace(name), "a source needs a name");
        Require(settings.EntryUrls.Count > 0, "a source needs at least one entry URL (--entry)");
        Require(settings.ScopePrefixes.Count > 0, "a source needs at least one allowed scope prefix (--scope)");
        Require(settings.IgnoreRobotsReason is null || settings.IgnoreRobotsReason.Trim().Length > 0, "a robots.txt override needs a reason");
        Require(settings.MinDelaySeconds is null or (>= 0 and <= 600), "the minimum delay must be between 0 and 600 seconds");
        var prefixes = settings.ScopePrefixes.Select(p => Uri.TryCreate(p, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null).ToList();
        Require(prefixes.All(p => p is not null), "every scope prefix must be an absolute http(s) URL");
        var scope = new CrawlScope(prefixes!);
        foreach (var entry in settings.EntryUrls)
        {
            Require(Uri.TryCreate(entry, UriKind.Absolute, out var url), $"entry '{entry}' is not an absolute URL");
            Require(scope.Allows(url!), $"entry {entry} lies outside the scope {string.Join(", ", settings.ScopePrefixes)}");
        }

        Require(ProfileRegistry.Names.Contains(settings.Profile), $"profile must be one of {string.Join(", ", ProfileRegistry.Names)}");
        try
        {
            var fields = settings.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            CronExpression.Parse(settings.Schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"schedule '{settings.Schedule}' is not a cron expression: {ex.Message}", ex);
        }
    }

    /// <summary>Checks a written authorisation: its basis, approving body, registrant and a window that ends after it starts.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message says which.</exception>
    public static void ValidateAuthorisation(AuthorisationRegistration authorisation)
    {
        ArgumentNullException.ThrowIfNull(authorisation);
        Require(!string.IsNullOrWhiteSpace(authorisation.Basis), "an authorisation needs its basis, e.g. a document number such as 赣考院中〔2019〕3号 (--basis)");
        Require(!string.IsNullOrWhiteSpace(authorisation.ApprovedBy), "an authorisation needs its approving body (--approved-by)");
        Require(!string.IsNullOrWhiteSpace(authorisation.RegisteredBy), "an authorisation records who registered it (--registered-by)");
        Require(authorisation.ValidUntilUtc > authorisation.ValidFromUtc, "the authorisation must end after it starts");
    }

    /// <summary>Returns the crawl settings of a stored source.</summary>
    public static SourceSettings SettingsOf(Source source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SourceSettings(Source.Lines(source.EntryUrls), Source.Lines(source.ScopePrefixes), source.Profile, source.Schedule)
        {
            AllowPrivateNetwork = source.AllowPrivateNetwork,
            MinDelaySeconds = source.MinDelaySeconds,
            IgnoreRobotsReason = source.IgnoreRobots ? source.IgnoreRobotsReason : null,
            ExamCritical = source.ExamCritical,
        };
    }

    private static void Apply(Source source, SourceSettings settings)
    {
        source.EntryUrls = string.Join('\n', settings.EntryUrls);
        source.ScopePrefixes = string.Join('\n', settings.ScopePrefixes);
        source.Profile = settings.Profile;
        source.Schedule = settings.Schedule;
        source.MinDelaySeconds = settings.MinDelaySeconds;
        source.ExamCritical = settings.ExamCritical;
        source.AllowPrivateNetwork = settings.AllowPrivateNetwork;
        source.IgnoreRobots = settings.IgnoreRobotsReason is not null;
        source.IgnoreRobotsReason = settings.IgnoreRobotsReason;
    }

    private static SourceAuthorisation NewAuthorisation(AuthorisationRegistration a, DateTime nowUtc) => new()
    {
        Basis = a.Basis,
        ApprovedBy = a.ApprovedBy,
        ScopeNote = a.ScopeNote,
        ValidFromUtc = a.ValidFromUtc,
        ValidUntilUtc = a.ValidUntilUtc,
        RegisteredBy = a.RegisteredBy,
        RegisteredAtUtc = nowUtc,
    };

    private static string Describe(AuthorisationRegistration a) => $"{a.Basis}，{a.ApprovedBy}，{a.ValidFromUtc:u} – {a.ValidUntilUtc:u}";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
