using BenchmarkDotNet.Running;
using ExamNetWatch.Benchmarks;

// `crawl` runs the crawl harness; anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Length > 0 && args[0] == "crawl")
{
    await CrawlHarness.RunAsync(args[1..]);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(DetectionBenchmarks).Assembly).Run(args);
}
