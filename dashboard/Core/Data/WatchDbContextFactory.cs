using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without starting the app.</summary>
internal sealed class WatchDbContextFactory : IDesignTimeDbContextFactory<WatchDbContext>
{
    public WatchDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WatchDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
