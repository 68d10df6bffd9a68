using BenchmarkDotNet.Running;
using ExamNetWatch.Benchmarks;

// `crawl` runs the crawl harness; `profile-detect SECONDS` loops detection for a profiler (dotnet-trace); `verdicts FILE`
// writes every distinct post's verdict (a speed change must leave it byte for byte the same);
// anything else goes to BenchmarkDotNet (e.g. --filter '*').
if (args.Length > 0 && args[0] == "bench-detect")
{
    // Detect alone: 3 s of warm-up, then the fastest and the median of 15 rounds over the corpus (MB/s).
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    for (var warm = System.Diagnostics.Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 3;)
    {
        benchmarks.Detect();
    }

    var times = new List<double>();
    for (var round = 0; round < 15; round++)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        benchmarks.Detect();
        times.Add(clock.Elapsed.TotalSeconds);
    }

    times.Sort();
    Console.WriteLine(FormattableString.Invariant($"detect: best {benchmarks.CorpusBytes / times[0] / 1e6:0.0} MB/s ({times[0] * 1000:0.0} ms), median {benchmarks.CorpusBytes / times[7] / 1e6:0.0} MB/s ({times[7] * 1000:0.0} ms)"));
}
else if (args.Length > 0 && args[0] == "census")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    long chars = 0, concepts = 0, terms = 0, combos = 0, withRules = 0, alerts = 0, low = 0, explained = 0, contacts = 0;
    foreach (var p in benchmarks.Posts)
    {
        var e = detector.Gather(null, p, ExamNetWatch.Indexer.Detection.DetectionContext.None);
        chars += p.Length; concepts += e.TextConcepts.Count; terms += e.Terms.Count; combos += e.Combinations.Count; contacts += e.Contacts.Count;
        withRules += e.Terms.Count + e.Combinations.Count > 0 ? 1 : 0;
        var r = detector.Detect(null, p);
        alerts += r.Severity >= ExamNetWatch.Indexer.Detection.Severity.Medium ? 1 : 0;
        low += r.Severity == ExamNetWatch.Indexer.Detection.Severity.Low ? 1 : 0;
        explained += r.Explanations.Count > 0 ? 1 : 0;
    }
    var n = benchmarks.Posts.Count;
    Console.WriteLine($"posts {n} chars/post {chars / (double)n:0.0} concepts/post {concepts / (double)n:0.00} terms/post {terms / (double)n:0.00} combos/post {combos / (double)n:0.00} contacts/post {contacts / (double)n:0.00}");
    Console.WriteLine($"with rules {withRules} alerts {alerts} low {low} explained {explained}");
}
else if (args.Length > 0 && args[0] == "loop-gather")
{
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var posts = benchmarks.Posts.Distinct().ToList();
    for (var until = System.Diagnostics.Stopwatch.StartNew(); until.Elapsed.TotalSeconds < 15;)
    {
        foreach (var p in posts) { detector.Gather(null, p, ExamNetWatch.Indexer.Detection.DetectionContext.None); }
    }
}
else if (args.Length > 0 && args[0] == "loop-judge")
{
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var evidences = benchmarks.Posts.Distinct().Select(p => detector.Gather(null, p, ExamNetWatch.Indexer.Detection.DetectionContext.None)).ToList();
    var scoring = new ExamNetWatch.Indexer.Detection.DetectionScoring(detector.Lexicon);
    for (var until = System.Diagnostics.Stopwatch.StartNew(); until.Elapsed.TotalSeconds < 12;)
    {
        foreach (var evidence in evidences) { scoring.Judge(evidence, ExamNetWatch.Indexer.Detection.DetectionContext.None); }
    }
}
else if (args.Length > 0 && args[0] == "single")
{
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    var text = args.Length > 1 ? args[1] : "出售2026年中考各科答案，考前一天发到手机，保过！有需要的加微信 zk2026da 私聊";
    void Time(string name, Action run)
    {
        for (var i = 0; i < 20000; i++) { run(); }
        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 20000; i++) { run(); }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1000 / 20000);
        }

        Console.WriteLine(FormattableString.Invariant($"{name,-12} {best,8:0.00} us"));
    }

    Time("normalise", () => ExamNetWatch.Indexer.Detection.TextNormaliser.Normalise(text));
    Time("gather", () => detector.Gather(null, text, ExamNetWatch.Indexer.Detection.DetectionContext.None));
    Time("detect", () => detector.Detect(null, text));
    var lexicon = detector.Lexicon;
    var rulesOnly = new ExamNetWatch.Indexer.Detection.PostDetector(new ExamNetWatch.Indexer.Detection.Lexicon(lexicon.Terms, lexicon.Concepts, lexicon.Patterns, lexicon.Combinations));
    Time("rules only", () => rulesOnly.Detect(null, text));
    var evidence = detector.Gather(null, text, ExamNetWatch.Indexer.Detection.DetectionContext.None);
    Time("probabilities", () => lexicon.Model!.Probabilities(evidence));
    Time("explain model", () => lexicon.Model!.Explain(evidence, 1, 6));
    var normalised = ExamNetWatch.Indexer.Detection.TextNormaliser.Normalise(text);
    var segmenter = ExamNetWatch.Indexer.Segmentation.ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term));
    var concepts = new ExamNetWatch.Indexer.Detection.Concepts.ConceptMatcher(lexicon.Concepts, lexicon.Patterns, new ExamNetWatch.Indexer.Detection.WordBoundaries(segmenter));
    Time("concepts", () => concepts.Find(normalised, []));
    var noPatterns = new ExamNetWatch.Indexer.Detection.Concepts.ConceptMatcher(lexicon.Concepts, [], new ExamNetWatch.Indexer.Detection.WordBoundaries(segmenter));
    Time("concept words", () => noPatterns.Find(normalised, []));
    var terms = new ExamNetWatch.Indexer.Detection.AhoCorasick<ExamNetWatch.Indexer.Detection.LexiconEntry>(lexicon.Terms.Select(t => KeyValuePair.Create(t.Term, t)));
    Time("terms AC", () => terms.FindAll(normalised.Value));
    var phonetic = new ExamNetWatch.Indexer.Detection.PhoneticMatcher(lexicon.Terms.Where(t => t.Kind != "in_exam_transmission" && t.Weight >= 0.4));
    Time("phonetic", () => phonetic.Find(normalised.Value, []));
    Time("contacts", () => ExamNetWatch.Indexer.Detection.ContactExtractor.Extract(normalised.Value, normalised.Original));
    var scoring = new ExamNetWatch.Indexer.Detection.DetectionScoring(lexicon);
    Time("judge", () => scoring.Judge(evidence, ExamNetWatch.Indexer.Detection.DetectionContext.None));
    Time("detect again", () => detector.Detect(null, text));
    Time("gather+judge", () => scoring.Judge(detector.Gather(null, text, ExamNetWatch.Indexer.Detection.DetectionContext.None), ExamNetWatch.Indexer.Detection.DetectionContext.None));
}
else if (args.Length > 0 && args[0] == "profile-short")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    var posts = benchmarks.Posts.Where(p => p.Length < 40).Distinct().ToList();
    for (var until = System.Diagnostics.Stopwatch.StartNew(); until.Elapsed.TotalSeconds < 15;)
    {
        foreach (var p in posts) { detector.Detect(null, p); }
    }
}
else if (args.Length > 0 && args[0] == "by-length")
{
    // Time per character of detection for posts of each length band: super-linear costs show as a rising column.
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    foreach (var (low, high) in new[] { (0, 40), (40, 100), (100, 200), (200, 400), (400, 100000) })
    {
        var posts = benchmarks.Posts.Where(p => p.Length >= low && p.Length < high).Distinct().ToList();
        var chars = posts.Sum(p => p.Length);
        foreach (var p in posts) { detector.Detect(null, p); }
        var best = double.MaxValue;
        for (var round = 0; round < 7; round++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var rep = 0; rep < 5; rep++) { foreach (var p in posts) { detector.Detect(null, p); } }
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / 5);
        }

        Console.WriteLine(FormattableString.Invariant($"{low,6}-{high,-6} {posts.Count,5} posts {chars,8} chars  {best,8:0.0} ms  {best * 1e6 / chars,8:0.0} ns/char  {best * 1000 / posts.Count,8:0.0} us/post"));
    }
}
else if (args.Length > 0 && args[0] == "crawl")
{
    await CrawlHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "peer")
{
    await PeerHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "scale")
{
    await ScaleHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "queue")
{
    await QueueHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "index")
{
    await IndexHarness.RunAsync(args[1..]);
}
else if (args.Length > 0 && args[0] == "verdicts")
{
    // Every distinct post of the corpus with its whole verdict, one JSON line each: a speed change must leave this file
    // byte for byte the same (diff the output of two builds).
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var detector = new ExamNetWatch.Indexer.Detection.PostDetector(ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault());
    using var output = new StreamWriter(args.Length > 1 ? args[1] : "verdicts.jsonl");
    var census = new Dictionary<string, int>(StringComparer.Ordinal);
    foreach (var post in benchmarks.Posts.Distinct())
    {
        var verdict = detector.Detect(null, post);
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(verdict));
        var key = $"{verdict.Severity} explained={verdict.Explanations.Count > 0}";
        census[key] = census.GetValueOrDefault(key) + 1;
    }

    foreach (var (key, count) in census.OrderBy(c => c.Key, StringComparer.Ordinal))
    {
        Console.WriteLine($"{key,-32} {count}");
    }
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
else if (args.Length > 0 && args[0] == "profile-concepts")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var stage = benchmarks.DetectionStages().First(s => s.Name == args[1]).Run;
    var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : -1;
    var until = System.Diagnostics.Stopwatch.StartNew();
    for (var round = 0; rounds < 0 ? until.Elapsed.TotalSeconds < 20 : round < rounds; round++)
    {
        stage();
    }
}
else if (args.Length > 0 && args[0] == "hits")
{
    var benchmarks = new DetectionBenchmarks();
    benchmarks.Setup();
    var lexicon = ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault();
    var ac = new ExamNetWatch.Indexer.Detection.AhoCorasick<string>(lexicon.Concepts.GroupBy(c => c.Term).Select(g => KeyValuePair.Create(g.Key, g.First().Kind)));
    var counts = new Dictionary<string, int>();
    long chars = 0;
    foreach (var post in benchmarks.Posts)
    {
        var n = ExamNetWatch.Indexer.Detection.TextNormaliser.Normalise(post).Value;
        chars += n.Length;
        foreach (var m in ac.FindAll(n))
        {
            var k = m.Pattern.Length == 1 ? "1-char" : m.Pattern.Length == 2 && m.Pattern.All(ExamNetWatch.Indexer.Detection.TextNormaliser.IsHan) ? "2-char " + m.Value : "longer";
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
    }

    Console.WriteLine($"chars {chars}");
    foreach (var (k, v) in counts.OrderByDescending(c => c.Value))
    {
        Console.WriteLine($"{k}: {v}");
    }
}
else if (args.Length > 0 && args[0] == "triggers")
{
    foreach (var p in ExamNetWatch.Indexer.Detection.Lexicon.LoadDefault().Patterns)
    {
        var t = p.Triggers;
        var chars = t is null ? "(none)" : new string(Enumerable.Range(0, 0x10000).Where(c => t.Contains((char)c)).Select(c => (char)c).ToArray());
        Console.WriteLine($"{p.Label}: {chars}");
    }
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
        var times = new List<double>();
        var cpu = new List<double>();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        for (var round = 0; round < 9; round++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / 9;
        times.Sort();
        cpu.Sort();
        Console.WriteLine(FormattableString.Invariant($"{name,-28} wall min {times[0],7:0.0} median {times[4],7:0.0} ms   cpu min {cpu[0],7:0.0} median {cpu[4],7:0.0} ms {allocated / 1048576.0,8:0.0} MB"));
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
