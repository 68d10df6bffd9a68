using BenchmarkDotNet.Running;
using ExamNetWatch.Benchmarks;

// `crawl` runs the crawl harness; `profile-detect SECONDS` loops detection for a profiler (dotnet-trace);
// anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Length > 0 && args[0] == "crawl")
{
    await CrawlHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "profile-detect")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var until = System.Diagnostics.Stopwatch.StartNew();
    var rounds = 0;
    while (until.Elapsed.TotalSeconds < (args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10))
    {
        benchmarks.Detect();
        rounds++;
    }

    Console.WriteLine(FormattableString.Invariant($"{rounds} rounds, {rounds * benchmarks.CorpusBytes / until.Elapsed.TotalSeconds / 1048576:0.0} MB/s"));
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(DetectionBenchmarks).Assembly).Run(args);
}
