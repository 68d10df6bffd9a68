using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExamNetWatch.Dashboard.Data.Migrations;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --project dashboard/Migrations.Sqlite</c> build the context without starting
/// the app.
/// </summary>
internal sealed class WatchDbContextFactory : IDesignTimeDbContextFactory<WatchDbContext>
{
    public WatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WatchDbContext>().UseWatchSqlite("Data Source=design-time.db").Options);
}
