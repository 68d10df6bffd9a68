using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests;

/// <summary>The indexer is a room of its own: the crawler and the dashboard may use it, it uses neither, nor any web framework.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void TheIndexer_ReferencesNeitherTheCrawlerNorTheDashboardNorAspNetCore()
    {
        var references = typeof(PostDetector).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("JiebaNet.Segmenter", references);
        Assert.DoesNotContain(references, name => name.StartsWith("ExamNetWatch.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name is "examnetwatch" || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || name.StartsWith("Hangfire", StringComparison.Ordinal));
    }
}
