namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>How to start the web host: where the data lives, where to listen, and the demo forum if any.</summary>
/// <param name="DataDir">The data directory (<c>--data-dir</c>).</param>
/// <param name="Urls">Where the dashboard listens, e.g. <c>http://127.0.0.1:5080</c>.</param>
/// <param name="CrawlSchedule">The default crawl schedule (Hangfire cron, seconds allowed) for sources without one.</param>
public sealed record HostSettings(string DataDir, string Urls, string CrawlSchedule = "*/30 * * * * *")
{
    /// <summary>Gets or sets the demo forum's port when running the demo (0 = any free port); null outside the demo.</summary>
    public int? DemoForumPort { get; init; }

    /// <summary>Gets or sets the time between two live demo posts.</summary>
    public TimeSpan DemoPublishInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets or sets what this process does: dashboard and jobs (default), the dashboard alone, or the jobs alone.</summary>
    public HostRole Role { get; init; } = HostRole.All;

    /// <summary>Gets or sets whether to issue a new password for the demo or first admin account.</summary>
    public bool ResetPassword { get; init; }

    /// <summary>Gets or sets configuration that wins over appsettings and the environment (key → value, e.g. <c>Notifications:AllowPrivateNetwork</c>).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();
}
