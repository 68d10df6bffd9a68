using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// The services of a command-line verb: the same composition root and configuration as <c>serve</c> (appsettings.json,
/// appsettings.{Environment}.json, the environment, then the verb's own flags), validated at start like the server's,
/// without the web front, the job server or the background workers. Warnings and errors go to standard error, so
/// standard output carries only the verb's result.
/// </summary>
public sealed class CliHost : IServiceProvider, IAsyncDisposable, IDisposable
{
    private readonly IHost _host;

    private CliHost(IHost host, DataDirectory data)
    {
        _host = host;
        Data = data;
    }

    /// <summary>Gets the data directory the verb works on.</summary>
    public DataDirectory Data { get; }

    /// <summary>Gets the configuration in force.</summary>
    public IConfiguration Configuration => _host.Services.GetRequiredService<IConfiguration>();

    /// <summary>
    /// Builds the services for <paramref name="dataDir"/> and validates every options section; the database is not
    /// opened (see <see cref="OpenAsync"/>).
    /// </summary>
    /// <param name="defaults">Settings below appsettings and the environment (a verb's own defaults).</param>
    /// <param name="overrides">Settings above everything (the verb's flags).</param>
    /// <param name="capturesPath">Where crawls keep captures; default: the data directory's.</param>
    /// <exception cref="OptionsValidationException">A setting is wrong; each failure names its setting.</exception>
    public static CliHost Build(string dataDir, IReadOnlyDictionary<string, string?>? defaults = null, IReadOnlyDictionary<string, string?>? overrides = null, string? capturesPath = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(CliHost).Assembly.GetName().Name,
        });
        if (defaults is not null)
        {
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        }

        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var data = new DataDirectory(dataDir, builder.Configuration["Storage:CapturesPath"], builder.Configuration["Storage:KeysPath"]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // A verb prints its result; only what went wrong is logged (the HTTP client's per-request lines are not).
        builder.Services.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Warning;
            o.Rules.Add(new LoggerFilterRule(null, "System.Net.Http", LogLevel.None, null));
            // The store's failures reach the verb as exceptions, which say what to do; EF's own lines would repeat them.
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.EntityFrameworkCore", LogLevel.None, null));
        });
        builder.Services.AddExamNetWatch(builder.Configuration, data, capturesPath);
        var host = builder.Build();
        try
        {
            host.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new CliHost(host, data);
    }

    /// <summary>
    /// <see cref="Build"/>, then prepares the database for use as the server does (migrations, WAL so it is safe beside a
    /// running server, the audit chain, the roles).
    /// </summary>
    public static async Task<CliHost> OpenAsync(string dataDir, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var host = Build(dataDir, overrides: overrides);
        try
        {
            await host.InitialiseAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates the data directory if missing and prepares the store as the server does; with <paramref name="migrate"/>
    /// the migrations are applied on PostgreSQL too (the <c>migrate</c> verb).
    /// </summary>
    public async Task InitialiseAsync(CancellationToken cancellationToken, bool migrate = false)
    {
        Data.Create();
        await AppHost.InitialiseAsync(this, cancellationToken, migrate);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType) => _host.Services.GetService(serviceType);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _host.Dispose();
}
