using System.Reflection;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Tests;

/// <summary>
/// The shape of the dashboard: the host (pages, command line, jobs, localization) on top of a core that knows no web
/// framework, no job scheduler, no command line and no UI text, on top of the indexer and the crawler.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Core = typeof(WatchDbContext).Assembly;
    private static readonly Assembly Host = typeof(ExamNetWatch.Dashboard.Localization.UiText).Assembly;
    private static readonly Assembly Evidence = typeof(ExamNetWatch.Dashboard.Evidence.EvidenceExporter).Assembly;

    [Fact]
    public void TheCore_IsAnAssemblyOfItsOwnBelowTheHost()
    {
        Assert.Equal("ExamNetWatch.Dashboard.Core", Core.GetName().Name);
        Assert.Contains(Host.GetReferencedAssemblies(), a => a.Name == Core.GetName().Name);
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name == Host.GetName().Name);
        Assert.Contains(Core.GetReferencedAssemblies(), a => a.Name == "ExamNetWatch.Indexer");
        Assert.Contains(Core.GetReferencedAssemblies(), a => a.Name == "ExamNetWatch.Crawler");
    }

    [Fact]
    public void TheCore_UsesNoWebFrameworkSchedulerCommandLineOrEvidenceLibraries()
    {
        // Identity's EF store and Data Protection's abstractions are libraries the store and the secrets are built on, not
        // the web framework.
        var forbidden = Core.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(name => (name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && name is not ("Microsoft.AspNetCore.Identity.EntityFrameworkCore" or "Microsoft.AspNetCore.DataProtection.Abstractions"))
                || name.StartsWith("Hangfire", StringComparison.Ordinal)
                || name.StartsWith("System.CommandLine", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Playwright", StringComparison.Ordinal)
                || name.StartsWith("SkiaSharp", StringComparison.Ordinal)
                || name.StartsWith("DocumentFormat.OpenXml", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(forbidden);
    }

    [Fact]
    public void TheCore_HoldsNoUiText()
    {
        // Localization lives in the host: the core says what to tell (StaffText, codes), the host says it.
        var localizing = Core.GetTypes().Where(t => t.Namespace is "ExamNetWatch.Dashboard.Localization" or "ExamNetWatch.Dashboard.Rendering").ToList();
        Assert.Empty(localizing);
    }

    [Fact]
    public void Evidence_StandsOnTheCoreAloneAndHoldsTheDocumentLibraries()
    {
        var references = Evidence.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Equal("ExamNetWatch.Dashboard.Evidence", Evidence.GetName().Name);
        Assert.Contains(Core.GetName().Name, references);
        Assert.Contains("SkiaSharp", references);
        Assert.Contains("Microsoft.Playwright", references);
        Assert.Contains(Host.GetReferencedAssemblies(), a => a.Name == Evidence.GetName().Name);
        Assert.DoesNotContain(Host.GetName().Name, references);
        Assert.DoesNotContain(references, name => name.StartsWith("Hangfire", StringComparison.Ordinal) || (name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) && name is not ("Microsoft.AspNetCore.Identity.EntityFrameworkCore" or "Microsoft.AspNetCore.DataProtection.Abstractions")));

        // The host itself draws no PDF and drives no browser: only the evidence project does.
        Assert.DoesNotContain(Host.GetReferencedAssemblies(), a => a.Name is "SkiaSharp" or "DocumentFormat.OpenXml");
    }
}
