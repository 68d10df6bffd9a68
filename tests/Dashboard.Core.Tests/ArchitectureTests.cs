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

    [Fact]
    public void TheSchemaHistory_IsTheSameStepsOnEveryProvider_FromOneSquashedInitialMigration()
    {
        static List<string> Steps(string assembly) => [.. Assembly.Load(assembly).GetTypes()
            .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>().Order(StringComparer.Ordinal)
            .Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..])];

        var sqlite = Steps(WatchSchema.SqliteMigrationsAssembly);
        Assert.Equal("InitialCreate", sqlite[0]);
        Assert.Equal(sqlite, Steps(WatchSchema.PostgreSqlMigrationsAssembly));
        Assert.Single(Assembly.Load(WatchSchema.SqliteMigrationsAssembly).GetTypes(), t => typeof(ModelSnapshot).IsAssignableFrom(t));
        Assert.Single(Assembly.Load(WatchSchema.PostgreSqlMigrationsAssembly).GetTypes(), t => typeof(ModelSnapshot).IsAssignableFrom(t));
    }
}
