using BenchmarkDotNet.Running;
using ExamNetWatch.Benchmarks;

// `crawl` runs the crawl harness; `profile-detect SECONDS` loops detection for a profiler (dotnet-trace);
// anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Length > 0 && args[0] == "crawl")
{
    await CrawlHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "queue")
{
    await QueueHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "index")
{
    await IndexHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "profile-detect")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    benchmarks.Detect();
    var until = System.Diagnostics.Stopwatch.StartNew();
    var rounds = 0;
    while (until.Elapsed.TotalSeconds < (args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10))
    {
        benchmarks.Detect();
        rounds++;
    }

    Console.WriteLine(FormattableString.Invariant($"{rounds} rounds, {rounds * benchmarks.CorpusBytes / until.Elapsed.TotalSeconds / 1048576:0.0} MB/s"));
}
else if (args.Length > 0 && args[0] == "profile-stages")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    foreach (var (name, run) in benchmarks.DetectionStages())
    {
        for (var warm = System.Diagnostics.Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 2;)
        {
            run();
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 5; round++)
        {
            run();
        }

        var elapsed = clock.Elapsed.TotalSeconds / 5;
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        Console.WriteLine(FormattableString.Invariant($"{name,-28} {elapsed * 1000,8:0.0} ms {allocated / 1048576.0,8:0.0} MB"));
    }
}
else if (args.Length > 0 && args[0] == "profile-segment")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    foreach (var (name, run) in benchmarks.SegmentationVariants())
    {
        run();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rounds = 0;
        while (clock.Elapsed.TotalSeconds < 5)
        {
            run();
            rounds++;
        }

        Console.WriteLine(FormattableString.Invariant($"{name,-28} {rounds * benchmarks.CorpusBytes / clock.Elapsed.TotalSeconds / 1048576,6:0.00} MB/s"));
    }
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(DetectionBenchmarks).Assembly).Run(args);
}
