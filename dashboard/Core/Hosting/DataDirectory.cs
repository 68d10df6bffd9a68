using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// Everything the embedded default keeps, under one folder: the SQLite database, Hangfire's SQLite storage,
/// the Lucene index and the raw captures. Deleting the folder resets the system; starting again reuses it.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
        : this(root, null)
    {
    }

    /// <summary>
    /// A data directory whose captures live in <paramref name="capturesPath"/> and whose installation keys live in
    /// <paramref name="installationKeysPath"/> when given (volumes every process of the production profile shares).
    /// </summary>
    public DataDirectory(string root, string? capturesPath, string? installationKeysPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        CapturesPath = string.IsNullOrWhiteSpace(capturesPath) ? Path.Combine(Root, "captures") : Path.GetFullPath(capturesPath);
        InstallationKeysPath = string.IsNullOrWhiteSpace(installationKeysPath) ? KeysPath : Path.GetFullPath(installationKeysPath);
    }

    /// <summary>
    /// Gets the folder of the keys every process of one installation must share: the data-protection key ring (sign-in
    /// cookies valid on every web process, notification secrets readable by every worker) and the evidence signing key.
    /// The data directory's own <see cref="KeysPath"/> unless <c>Storage:KeysPath</c> names a shared volume.
    /// </summary>
    public string InstallationKeysPath { get; }

    /// <summary>Gets the absolute path of the folder.</summary>
    public string Root { get; }

    /// <summary>Gets the SQLite database of sources, posts, alerts, users and audit.</summary>
    public string DatabasePath => Path.Combine(Root, "examnetwatch.db");

    /// <summary>Gets Hangfire's SQLite storage.</summary>
    public string HangfirePath => Path.Combine(Root, "hangfire.db");

    /// <summary>Gets the Lucene.NET index folder.</summary>
    public string IndexPath => Path.Combine(Root, "index");

    /// <summary>Gets the raw capture folder.</summary>
    public string CapturesPath { get; }

    /// <summary>Gets the folder of imported detection rules (terms, concepts, combinations, patterns, model); empty means the shipped rules.</summary>
    public string LexiconPath => Path.Combine(Root, "lexicon");

    /// <summary>Gets the folder of the ASP.NET Core data-protection keys (sign-in cookies, antiforgery).</summary>
    public string KeysPath => Path.Combine(Root, "keys");

    /// <summary>
    /// Returns the anchor of the audit chain (log and key outside the database): in this directory by default; with
    /// <c>Storage:KeysPath</c>, beside the installation's keys, so every process of the production profile appends to
    /// one log that anchors the whole chain (not each its own part of it).
    /// </summary>
    public Data.AuditAnchor AuditAnchor() => InstallationKeysPath == KeysPath
        ? new(Path.Combine(Root, Data.AuditAnchor.LogFileName), Path.Combine(KeysPath, Data.AuditAnchor.KeyFileName))
        : new(Path.Combine(InstallationKeysPath, Data.AuditAnchor.LogFileName), Path.Combine(InstallationKeysPath, Data.AuditAnchor.KeyFileName));

    /// <summary>
    /// Adds the main database (the one <see cref="StorageOptions"/> names: this directory's SQLite file by default), its
    /// audit chain anchored in this directory, to <paramref name="services"/>.
    /// </summary>
    public IServiceCollection AddWatchDatabase(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(_ => AuditAnchor());
        services.AddSingleton<Data.AuditAnchorInterceptor>();
        return services.AddDbContext<Data.WatchDbContext>((provider, options) =>
            options.UseWatchStore(provider.GetService<Microsoft.Extensions.Options.IOptions<StorageOptions>>()?.Value ?? new StorageOptions(), this)
                .AddInterceptors(provider.GetRequiredService<Data.AuditAnchorInterceptor>()));
    }

    /// <summary>Gets the SQLite connection string of the main database.</summary>
    public string ConnectionString => $"Data Source={DatabasePath};Cache=Shared;Default Timeout=30";

    /// <summary>Creates the folder and its sub-folders if missing.</summary>
    public void Create()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(IndexPath);
        Directory.CreateDirectory(CapturesPath);
        OwnerOnly(KeysPath);
        OwnerOnly(InstallationKeysPath);
    }

    /// <summary>Creates a keys folder that only its owner may list, read or write (and narrows one it owns that was wider).</summary>
    private static void OwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, owner);
        try
        {
            if (File.GetUnixFileMode(path) != owner)
            {
                File.SetUnixFileMode(path, owner);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // A mounted volume this process does not own (Kubernetes fsGroup, a compose volume): its permissions are
            // the operator's to set; the key files in it are still written for their owner only.
        }
    }
}
