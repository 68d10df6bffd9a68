using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExamNetWatch.Dashboard.Data.Migrations.PostgreSql;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --project dashboard/Migrations.PostgreSql</c> build the context without a
/// server (adding a migration connects to nothing).
/// </summary>
internal sealed class WatchDbContextFactory : IDesignTimeDbContextFactory<WatchDbContext>
{
    public WatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WatchDbContext>().UseWatchPostgreSql("Host=localhost;Database=design_time").Options);
}
