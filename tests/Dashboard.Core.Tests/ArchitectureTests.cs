using System.Reflection;
using ExamNetWatch.Dashboard.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ExamNetWatch.Dashboard.Tests;

/// <summary>The core is tested on its own, and its schema history lives in one project per database provider.</summary>
public sealed class ArchitectureTests
{
    [Theory]
    [InlineData("examnetwatch")]
    [InlineData("ExamNetWatch.Dashboard.Evidence")]
    [InlineData("Microsoft.Playwright")]
    [InlineData("Hangfire.Core")]
    [InlineData("Microsoft.AspNetCore.Mvc.RazorPages")]
    public void TheCoreTests_RunWithoutTheHostTheBrowserOrTheJobServer_TheyAreNotEvenBesideThem(string assembly) =>
        Assert.Throws<FileNotFoundException>(() => Assembly.Load(assembly));

    [Fact]
    public void TheSchemaHistory_IsOneInitialMigrationInTheSqliteProject_NotInTheCore()
    {
        var core = typeof(WatchDbContext).Assembly;
        Assert.DoesNotContain(core.GetTypes(), t => typeof(Migration).IsAssignableFrom(t) || typeof(ModelSnapshot).IsAssignableFrom(t));

        var sqlite = Assembly.Load(WatchSchema.SqliteMigrationsAssembly);
        var migration = Assert.Single(sqlite.GetTypes(), t => typeof(Migration).IsAssignableFrom(t));
        Assert.EndsWith("_InitialCreate", migration.GetCustomAttribute<MigrationAttribute>()!.Id, StringComparison.Ordinal);
        Assert.Single(sqlite.GetTypes(), t => typeof(ModelSnapshot).IsAssignableFrom(t));
    }
}
