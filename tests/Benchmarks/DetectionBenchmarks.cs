using System.Text;
using BenchmarkDotNet.Attributes;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Evaluation;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Detection speed on about 2 MB of mixed posts (the development set, offers and hard negatives, repeated):
/// normalisation alone, full detect per post, and full ingest (detect + jieba search-mode segmentation for the index).
/// MB/s = <see cref="CorpusBytes"/> / mean time; see docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class DetectionBenchmarks
{
    private List<string> _posts = [];
    private PostDetector _detector = null!;
    private ChineseSegmenter _segmenter = null!;

    /// <summary>Gets the UTF-8 size of the corpus.</summary>
    public long CorpusBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "devset.jsonl"));
        var set = DetectionEvaluation.Read(reader).Select(p => p.Text).ToList();
        while (_posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p)) < 2 * 1024 * 1024)
        {
            _posts.AddRange(set);
        }

        CorpusBytes = _posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        var lexicon = Lexicon.LoadDefault();
        _detector = new PostDetector(lexicon);
        _segmenter = ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term));
        Console.WriteLine($"// corpus: {_posts.Count} posts, {CorpusBytes} bytes");
    }

    [Benchmark]
    public int Normalise()
    {
        var total = 0;
        foreach (var post in _posts)
        {
            total += TextNormaliser.Normalise(post).Value.Length;
        }

        return total;
    }

    [Benchmark]
    public int Detect()
    {
        var alerts = 0;
        foreach (var post in _posts)
        {
            alerts += _detector.Detect(null, post).IsAlert ? 1 : 0;
        }

        return alerts;
    }

    [Benchmark]
    public int Ingest()
    {
        var tokens = 0;
        foreach (var post in _posts)
        {
            tokens += _detector.Detect(null, post).Matches.Count;
            tokens += _segmenter.Tokenize(post).Count;
        }

        return tokens;
    }
}
