using Cronos;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Dashboard.Data;
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
        var source = new Source
        {
            Name = registration.Name,
            EntryUrls = string.Join('\n', registration.EntryUrls),
            ScopePrefixes = string.Join('\n', registration.ScopePrefixes),
            Schedule = registration.Schedule,
            Profile = registration.Profile,
            AllowPrivateNetwork = registration.AllowPrivateNetwork,
            MinDelaySeconds = registration.MinDelaySeconds,
            IgnoreRobots = registration.IgnoreRobotsReason is not null,
            IgnoreRobotsReason = registration.IgnoreRobotsReason,
            ExamCritical = registration.ExamCritical,
            CreatedAtUtc = now,
        };
        source.Authorisations.Add(new SourceAuthorisation
        {
            Basis = registration.Basis,
            ApprovedBy = registration.ApprovedBy,
            ScopeNote = registration.ScopeNote,
            ValidFromUtc = registration.ValidFromUtc,
            ValidUntilUtc = registration.ValidUntilUtc,
            RegisteredBy = registration.RegisteredBy,
            RegisteredAtUtc = now,
        });
        db.Sources.Add(source);
        var target = "source:" + registration.Name;
        audit.Add(db, registration.RegisteredBy, "source.register", target, $"entry {string.Join(' ', registration.EntryUrls)}; scope {string.Join(' ', registration.ScopePrefixes)}; profile {registration.Profile}; schedule {registration.Schedule}");
        audit.Add(db, registration.RegisteredBy, "authorisation.register", target, $"{registration.Basis}，{registration.ApprovedBy}，{registration.ValidFromUtc:u} – {registration.ValidUntilUtc:u}");
        if (registration.IgnoreRobotsReason is not null)
        {
            audit.Add(db, registration.RegisteredBy, "source.robots-override", target, registration.IgnoreRobotsReason);
        }

        if (registration.AllowPrivateNetwork)
        {
            audit.Add(db, registration.RegisteredBy, "source.allow-private-network", target);
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
        audit.Add(db, actor, "source.disable", "source:" + source.Name, reason);
        await db.SaveChangesAsync(cancellationToken);
        return source;
    }

    /// <summary>Checks a registration against the rules.</summary>
    /// <exception cref="ArgumentException">A rule is broken; the message says which.</exception>
    public static void Validate(SourceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        Require(!string.IsNullOrWhiteSpace(registration.Name), "a source needs a name");
        Require(registration.EntryUrls.Count > 0, "a source needs at least one entry URL (--entry)");
        Require(registration.ScopePrefixes.Count > 0, "a source needs at least one allowed scope prefix (--scope)");
        Require(!string.IsNullOrWhiteSpace(registration.Basis), "an authorisation needs its basis, e.g. a document number such as 赣考院中〔2019〕3号 (--basis)");
        Require(!string.IsNullOrWhiteSpace(registration.ApprovedBy), "an authorisation needs its approving body (--approved-by)");
        Require(!string.IsNullOrWhiteSpace(registration.RegisteredBy), "an authorisation records who registered it (--registered-by)");
        Require(registration.ValidUntilUtc > registration.ValidFromUtc, "the authorisation must end after it starts");
        Require(registration.IgnoreRobotsReason is null || registration.IgnoreRobotsReason.Trim().Length > 0, "a robots.txt override needs a reason");
        Require(registration.MinDelaySeconds is null or (>= 0 and <= 600), "the minimum delay must be between 0 and 600 seconds");
        var prefixes = registration.ScopePrefixes.Select(p => Uri.TryCreate(p, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u : null).ToList();
        Require(prefixes.All(p => p is not null), "every scope prefix must be an absolute http(s) URL");
        var scope = new CrawlScope(prefixes!);
        foreach (var entry in registration.EntryUrls)
        {
            Require(Uri.TryCreate(entry, UriKind.Absolute, out var url), $"entry '{entry}' is not an absolute URL");
            Require(scope.Allows(url!), $"entry {entry} lies outside the scope {string.Join(", ", registration.ScopePrefixes)}");
        }

        Require(ProfileRegistry.Names.Contains(registration.Profile), $"profile must be one of {string.Join(", ", ProfileRegistry.Names)}");
        try
        {
            var fields = registration.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            CronExpression.Parse(registration.Schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new ArgumentException($"schedule '{registration.Schedule}' is not a cron expression: {ex.Message}", ex);
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
