using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>The system's database: sources and authorisations, posts, alerts, users and the audit log.</summary>
public sealed class WatchDbContext(DbContextOptions<WatchDbContext> options) : IdentityDbContext<StaffUser>(options)
{
    public DbSet<Source> Sources => Set<Source>();

    public DbSet<SourceAuthorisation> Authorisations => Set<SourceAuthorisation>();

    public DbSet<Post> Posts => Set<Post>();

    public DbSet<Alert> Alerts => Set<Alert>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<CrawlThreadState> CrawlThreads => Set<CrawlThreadState>();

    public DbSet<CrawlBoardState> CrawlBoards => Set<CrawlBoardState>();

    public DbSet<ExamSlot> ExamSlots => Set<ExamSlot>();

    public DbSet<IndexOutboxEntry> IndexOutbox => Set<IndexOutboxEntry>();

    public DbSet<NotificationOutboxEntry> NotificationOutbox => Set<NotificationOutboxEntry>();

    public DbSet<AlertNote> AlertNotes => Set<AlertNote>();

    public DbSet<AlertContact> AlertContacts => Set<AlertContact>();

    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    public DbSet<SettingEntry> Settings => Set<SettingEntry>();

    public DbSet<CrawlRun> CrawlRuns => Set<CrawlRun>();

    public DbSet<CrawlHostSlot> CrawlHostSlots => Set<CrawlHostSlot>();

    public DbSet<CrawlLease> CrawlLeases => Set<CrawlLease>();

    /// <summary>Saves, chaining new audit entries (see <see cref="AuditChain"/>) in a transaction that serialises audit writers.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var added = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (added.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        if (Database.CurrentTransaction is not null)
        {
            await AuditChain.LockAsync(this, cancellationToken);
            await AuditChain.ChainAsync(this, added, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        // An execution strategy is not in use (SQLite, and Npgsql without retries), so a user transaction is allowed here.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        await AuditChain.LockAsync(this, cancellationToken);
        await AuditChain.ChainAsync(this, added, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    private (long Sequence, string Hash)? _unanchoredHead;

    /// <summary>Records the chain's head after entries were chained in the current transaction (for <see cref="AuditAnchor"/>).</summary>
    internal void ChainedTo(long sequence, string hash) => _unanchoredHead = (sequence, hash);

    /// <summary>Returns the head chained since the last commit, if any, and forgets it.</summary>
    internal (long Sequence, string Hash)? TakeUnanchoredHead()
    {
        var head = _unanchoredHead;
        _unanchoredHead = null;
        return head;
    }

    /// <summary>Saves synchronously (the same chaining as the asynchronous save).</summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Saves without chaining (for <see cref="AuditChain.SealLegacyAsync"/>, which chains the entries itself).</summary>
    internal Task<int> SaveChangesWithoutChainAsync(CancellationToken cancellationToken) => base.SaveChangesAsync(true, cancellationToken);

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<Source>(e =>
        {
            e.Property(s => s.Name).HasMaxLength(200);
            e.HasIndex(s => s.Name).IsUnique();
            e.HasMany(s => s.Authorisations).WithOne(a => a.Source!).HasForeignKey(a => a.SourceId);
        });
        builder.Entity<Post>(e =>
        {
            e.Property(p => p.Id).HasMaxLength(200);
            e.HasOne(p => p.Source).WithMany().HasForeignKey(p => p.SourceId);
            e.HasIndex(p => new { p.SourceId, p.ThreadId });
            e.HasIndex(p => p.FetchedAtUtc);
            e.Property(p => p.AuthorId).HasMaxLength(64);
        });
        builder.Entity<Alert>(e =>
        {
            e.HasOne(a => a.Post).WithMany().HasForeignKey(a => a.PostId);
            e.HasIndex(a => a.PostId).IsUnique();
            e.HasIndex(a => new { a.Status, a.CreatedAtUtc });
            e.HasIndex(a => a.CreatedAtUtc);
            e.Property(a => a.Status).HasMaxLength(32);
            e.Property(a => a.Assignee).HasMaxLength(256);
            e.Property(a => a.CloseReason).HasMaxLength(32);
            e.Property(a => a.Tags).HasMaxLength(500);
            e.Property(a => a.EscalatedTo).HasMaxLength(200);
            e.Property(a => a.EscalationContact).HasMaxLength(200);
            e.Property(a => a.EscalationReceipt).HasMaxLength(100);
            e.Property(a => a.EscalatedBy).HasMaxLength(256);
            e.HasIndex(a => new { a.Assignee, a.Status });
            e.HasIndex(a => a.GroupId);
            e.HasIndex(a => new { a.Status, a.DueAtUtc });
        });
        builder.Entity<AlertContact>(e =>
        {
            e.HasKey(c => new { c.AlertId, c.Contact });
            e.Property(c => c.Contact).HasMaxLength(200);
            e.HasIndex(c => c.Contact);
            e.HasOne(c => c.Alert).WithMany().HasForeignKey(c => c.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CrawlRun>(e => e.HasIndex(r => new { r.StartedAtUtc, r.SourceId }));
        builder.Entity<CrawlHostSlot>(e =>
        {
            e.HasKey(s => s.Host);
            e.Property(s => s.Host).HasMaxLength(300);
        });
        builder.Entity<CrawlLease>(e =>
        {
            e.HasKey(l => l.SourceId);
            e.Property(l => l.SourceId).ValueGeneratedNever();
            e.Property(l => l.Owner).HasMaxLength(200);
        });
        builder.Entity<SettingEntry>(e =>
        {
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(100);
            e.Property(x => x.UpdatedBy).HasMaxLength(256);
        });
        builder.Entity<NotificationDelivery>(e =>
        {
            e.HasKey(d => new { d.AlertId, d.Target });
            e.Property(d => d.Target).HasMaxLength(300);
            e.HasOne<Alert>().WithMany().HasForeignKey(d => d.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AlertNote>(e =>
        {
            e.Property(n => n.Author).HasMaxLength(256);
            e.Property(n => n.Text).HasMaxLength(4000);
            e.HasIndex(n => new { n.AlertId, n.AtUtc });
            e.HasOne<Alert>().WithMany().HasForeignKey(n => n.AlertId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<CrawlThreadState>(e =>
        {
            e.HasKey(t => new { t.SourceId, t.ThreadId });
            e.Property(t => t.ThreadId).HasMaxLength(200);
        });
        builder.Entity<CrawlBoardState>(e =>
        {
            e.HasKey(b => new { b.SourceId, b.BoardUrl });
            e.Property(b => b.BoardUrl).HasMaxLength(1000);
            e.Property(b => b.SweepNextPageUrl).HasMaxLength(2000);
            e.Property(b => b.CatchUpPageUrl).HasMaxLength(2000);
        });
        builder.Entity<Post>(e =>
        {
            e.HasIndex(p => p.ContentHash);
            e.HasIndex(p => p.SimHash);
        });
        builder.Entity<ExamSlot>(e => e.HasIndex(x => new { x.StartsAtUtc, x.EndsAtUtc }));
        builder.Entity<IndexOutboxEntry>(e =>
        {
            e.Property(x => x.PostId).HasMaxLength(200);
            e.Property(x => x.LeaseOwner).HasMaxLength(100);
            e.HasIndex(x => x.NextAttemptAtUtc);
        });
        builder.Entity<NotificationOutboxEntry>(e =>
        {
            e.HasIndex(x => x.AlertId).IsUnique();
            e.Property(x => x.LeaseOwner).HasMaxLength(100);
            e.Property(x => x.LastError).HasMaxLength(1000);
            e.HasIndex(x => x.NextAttemptAtUtc);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.HasIndex(a => a.Sequence).IsUnique();
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
            e.HasIndex(a => a.AtUtc);
            e.HasIndex(a => new { a.Target, a.AtUtc });
        });
    }
}
