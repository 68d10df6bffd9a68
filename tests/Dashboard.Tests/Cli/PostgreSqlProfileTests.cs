using ExamNetWatch.Dashboard.Tests.Support;

namespace ExamNetWatch.Dashboard.Tests.Cli;

/// <summary>The store on PostgreSQL, as an operator meets it: migrate first, then every process; clear refusals otherwise.</summary>
public sealed class PostgreSqlProfileTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "enw-pgcli-" + Guid.NewGuid().ToString("N"));
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await PostgresServer.Instance.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await PostgresServer.Instance.DropDatabaseAsync(_database);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task UnmigratedDatabase_IsRefusedSayingToMigrate_ThenMigrateMakesItUsable()
    {
        var settings = Settings(PostgresServer.Instance.ConnectionString(_database));

        var refused = await ExamNetWatchProcess.RunAsync(settings, "users", "list", "--data-dir", _dir);
        Assert.Equal(2, refused.Code);
        Assert.Contains("run `examnetwatch migrate`", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", refused.Stderr, StringComparison.Ordinal);

        var migrate = await ExamNetWatchProcess.RunAsync(settings, "migrate", "--data-dir", _dir);
        Assert.Equal(0, migrate.Code);
        Assert.Contains("store (PostgreSql) at schema", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("none pending", migrate.Stdout, StringComparison.Ordinal);

        var add = await ExamNetWatchProcess.RunAsync(settings, "users", "add", "chief", "--role", "Admin", "--data-dir", _dir);
        Assert.Equal(0, add.Code);
        var list = await ExamNetWatchProcess.RunAsync(settings, "users", "list", "--data-dir", _dir);
        Assert.Contains("chief\tAdmin", list.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "examnetwatch.db")), "nothing went to the SQLite file");
    }

    [Fact]
    public async Task ConnectionStringWithoutADatabase_IsRefusedNamingTheSetting_WithoutRepeatingIt()
    {
        var result = await ExamNetWatchProcess.RunAsync(Settings("Host=127.0.0.1;Username=enw;Password=s3cret-value"), "users", "list", "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains("Storage:ConnectionString is not a usable PostgreSQL connection string: it names no Database", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerThatDoesNotAnswer_IsRefusedNamingTheSettingAndTheServer()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await ExamNetWatchProcess.RunAsync(Settings($"Host=127.0.0.1;Port={port};Database=enw;Username=enw;Password=s3cret-value;Timeout=3"), "migrate", "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains($"The PostgreSQL database enw on 127.0.0.1:{port} (Storage:ConnectionString) cannot be used", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderNotOfTheList_IsRefusedNamingTheSetting()
    {
        var result = await ExamNetWatchProcess.RunAsync(new Dictionary<string, string> { ["Storage__Provider"] = "Postgres" }, "users", "list", "--data-dir", _dir);

        Assert.Equal(2, result.Code);
        Assert.Contains("'Postgres' at 'Storage:Provider'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(string connectionString) => new()
    {
        ["Storage__Provider"] = "PostgreSql",
        ["Storage__ConnectionString"] = connectionString,
    };
}
