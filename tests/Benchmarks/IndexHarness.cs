using System.Diagnostics;
using System.Globalization;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Evaluation;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Search;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Index harness: bulk-indexes N synthetic posts into a fresh Lucene index (batches of 5,000, as the outbox worker
/// sends them at most), then times searches — a two-word query with source, time and severity filters and highlighting,
/// and the same with aggregations — and prints a table.
/// Usage: dotnet run -c Release --project tests/Benchmarks -- index [posts] [queries]
/// </summary>
internal static class IndexHarness
{
    private const int Batch = 5000;
    private static readonly string[] Severities = ["none", "none", "none", "low", "medium", "high", "critical"];
    private static readonly string[] Categories = [Category.PaperLeak, Category.Device, Category.ProxyTaker, Category.InExamTransmission];
    private static readonly string[] Fillers = ["今天", "老师说", "同学们", "周末", "复习", "数学", "英语", "物理", "考试", "加油", "论坛", "谢谢", "请问", "学校"];
    private static readonly (string, string)[] Queries = [("作弊器", "出售"), ("答案", "微信"), ("耳机", "考场"), ("代考", "包过"), ("中考", "答案"), ("数学", "复习")];

    public static async Task RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var queries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 300;
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "devset.jsonl"));
        var texts = DetectionEvaluation.Read(reader).Select(p => p.Text).ToArray();
        var lexicon = Lexicon.LoadDefault();
        var segmenter = ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term));
        var path = Path.Combine(Path.GetTempPath(), "enw-index-bench-" + Guid.NewGuid().ToString("N"));
        var start = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var random = new Random(20260620);
        long bytes = 0;
        try
        {
            using var index = new LucenePostIndex(path, segmenter);
            var clock = Stopwatch.StartNew();
            for (var done = 0; done < count; done += Batch)
            {
                var batch = new List<PostDocument>(Batch);
                for (var i = done; i < Math.Min(count, done + Batch); i++)
                {
                    var text = Fillers[random.Next(Fillers.Length)] + texts[random.Next(texts.Length)] + Fillers[random.Next(Fillers.Length)];
                    bytes += System.Text.Encoding.UTF8.GetByteCount(text);
                    var time = start.AddSeconds(random.Next(0, 60 * 86_400));
                    var severity = Severities[random.Next(Severities.Length)];
                    batch.Add(new PostDocument(
                        $"s{i % 50}-t{i / 10}-p{i}", $"t{i / 10}", i % 50, $"http://forum.test/t/{i / 10}", "帖子标题 " + Fillers[random.Next(Fillers.Length)], text, "user" + (i % 1000), time, time,
                        severity, severity == "none" ? 0 : 0.5 + random.NextDouble() / 2, severity == "none" ? [] : [Categories[random.Next(Categories.Length)]], [], [],
                        severity is "medium" or "high" or "critical" ? i : null, severity is "medium" or "high" or "critical" ? "new" : null));
                }

                await index.IndexAsync(batch);
            }

            var indexing = clock.Elapsed;
            var plain = new List<double>(queries);
            var aggregated = new List<double>(queries);
            long hits = 0;
            for (var q = 0; q < queries + 20; q++)
            {
                var (a, b) = Queries[q % Queries.Length];
                var from = start.AddDays(random.Next(0, 30));
                var request = new SearchRequest
                {
                    Query = $"{a} {b}",
                    SourceIds = [.. Enumerable.Range(0, 10).Select(_ => random.Next(50)).Distinct()],
                    From = from,
                    To = from.AddDays(30),
                    Severities = ["medium", "high", "critical"],
                    PageSize = 20,
                };
                var timer = Stopwatch.StartNew();
                var found = await index.SearchAsync(request);
                var first = timer.Elapsed.TotalMilliseconds;
                timer.Restart();
                await index.SearchAsync(request with { Aggregate = true });
                var second = timer.Elapsed.TotalMilliseconds;
                if (q >= 20)
                {
                    plain.Add(first);
                    aggregated.Add(second);
                    hits += found.Total;
                }
            }

            var size = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
            Console.WriteLine("| measure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine(FormattableString.Invariant($"| posts indexed | {count:N0} ({bytes / 1048576.0:0.0} MiB of text) |"));
            Console.WriteLine(FormattableString.Invariant($"| indexing time | {indexing.TotalSeconds:0.0} s |"));
            Console.WriteLine(FormattableString.Invariant($"| indexing rate | {count / indexing.TotalSeconds:N0} posts/s |"));
            Console.WriteLine(FormattableString.Invariant($"| index size | {size / 1048576.0:0} MiB |"));
            Console.WriteLine(FormattableString.Invariant($"| queries (two words, 3 filters, highlight, page of 20) | {queries}, {hits / (double)queries:N0} matches on average |"));
            Console.WriteLine(FormattableString.Invariant($"| search p50 / p95 | {Percentile(plain, 0.5):0.0} ms / {Percentile(plain, 0.95):0.0} ms |"));
            Console.WriteLine(FormattableString.Invariant($"| same + aggregations p50 / p95 | {Percentile(aggregated, 0.5):0.0} ms / {Percentile(aggregated, 0.95):0.0} ms |"));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
