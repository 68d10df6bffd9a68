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
    public void TheCore_HoldsNoSchemaHistory()
    {
        var core = typeof(WatchDbContext).Assembly;
        Assert.DoesNotContain(core.GetTypes(), t => typeof(Migration).IsAssignableFrom(t) || typeof(ModelSnapshot).IsAssignableFrom(t));
    }

    [Theory]
    [InlineData(WatchSchema.SqliteMigrationsAssembly)]
    [InlineData(WatchSchema.PostgreSqlMigrationsAssembly)]
    public void TheSchemaHistory_IsOneInitialMigrationPerProvider(string assembly)
    {
        var migrations = Assembly.Load(assembly);
        var migration = Assert.Single(migrations.GetTypes(), t => typeof(Migration).IsAssignableFrom(t));
        Assert.EndsWith("_InitialCreate", migration.GetCustomAttribute<MigrationAttribute>()!.Id, StringComparison.Ordinal);
        Assert.Single(migrations.GetTypes(), t => typeof(ModelSnapshot).IsAssignableFrom(t));
    }
}
