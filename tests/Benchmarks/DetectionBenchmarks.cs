using System.Text;
using BenchmarkDotNet.Attributes;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Evaluation;
using ExamNetWatch.Indexer.Segmentation;

namespace ExamNetWatch.Benchmarks;

/// <summary>
/// Detection speed on about 2 MB of mixed posts (the development set — offers and hard negatives — and the corpus's
/// exam-forum negatives, repeated):
/// normalisation alone, full detect per post, jieba search-mode segmentation for the index alone, and full ingest
/// (detect + that segmentation).
/// MB/s = <see cref="CorpusBytes"/> / mean time; see docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class DetectionBenchmarks
{
    private List<string> _posts = [];
    private PostDetector _detector = null!;
    private ChineseSegmenter _segmenter = null!;
    private List<string> _normalised = [];
    private AhoCorasick<LexiconEntry> _terms = null!;
    private PhoneticMatcher _phonetic = null!;

    /// <summary>Gets the posts of the corpus.</summary>
    public IReadOnlyList<string> Posts => _posts;

    /// <summary>Gets the UTF-8 size of the corpus.</summary>
    public long CorpusBytes { get; private set; }

    /// <summary>The hard negatives of the corpus that read like an exam forum: full of exam words, and no alert.</summary>
    public static readonly IReadOnlySet<string> ExamForumCategories = new HashSet<string>(StringComparer.Ordinal)
    {
        "exam_chatter", "after_exam_discussion", "study_material", "tutoring_ad", "online_course_talk", "homework_answers", "official_notice", "news_report",
    };

    /// <summary>Gets the share of the corpus's bytes that is exam-forum text that must not alert.</summary>
    public double ExamForumShare { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        // Two sources, repeated to about 2 MB: the development set (offers with every evasion, hard negatives) and the
        // corpus's exam-forum negatives (train split) — the costly case, every post full of exam words.
        var devset = Read("devset.jsonl").Select(p => p.Text).ToList();
        var forum = Environment.GetEnvironmentVariable("EXAMNETWATCH_BENCH_DEVSET_ONLY") == "1" ? [] : Read("train.jsonl").Where(p => !p.Alert && ExamForumCategories.Contains(p.Category)).Select(p => p.Text).ToList();
        long forumBytes = 0;
        while (_posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p)) < 2 * 1024 * 1024)
        {
            _posts.AddRange(devset);
            _posts.AddRange(forum);
            forumBytes += forum.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        }

        CorpusBytes = _posts.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        ExamForumShare = (double)forumBytes / CorpusBytes;
        var lexicon = Lexicon.LoadDefault();
        _detector = new PostDetector(lexicon);
        _segmenter = ChineseSegmenter.Initialise(lexicon.Terms.Select(t => t.Term));
        _normalised = [.. _posts.Select(p => TextNormaliser.Normalise(p).Value)];
        _terms = new AhoCorasick<LexiconEntry>(lexicon.Terms.Select(t => KeyValuePair.Create(t.Term, t)));
        _phonetic = new PhoneticMatcher(lexicon.Terms.Where(t => t.Kind != Category.InExamTransmission && t.Weight >= 0.4));
        Console.WriteLine(FormattableString.Invariant($"// corpus: {_posts.Count} posts, {CorpusBytes} bytes, {ExamForumShare:P0} of them exam-forum text that must not alert"));
    }

    private static List<LabelledPost> Read(string file)
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, file));
        return [.. DetectionEvaluation.Read(reader)];
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

    /// <summary>Term matching alone over normalised text: the Aho–Corasick automaton and the sound-alike/pinyin matcher.</summary>
    [Benchmark]
    public int Match()
    {
        var hits = new List<AhoCorasick<LexiconEntry>.Match>();
        var total = 0;
        foreach (var text in _normalised)
        {
            hits.Clear();
            _terms.Collect(text, hits);
            _phonetic.Find(text, hits);
            total += hits.Count;
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
    public int Segment()
    {
        var tokens = 0;
        foreach (var post in _posts)
        {
            tokens += _segmenter.Tokenize(post).Count;
        }

        return tokens;
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

    /// <summary>Segmentation alone in several modes, for the <c>profile-segment</c> probe.</summary>
    public IEnumerable<(string Name, Action Run)> SegmentationVariants()
    {
        var jieba = new JiebaNet.Segmenter.JiebaSegmenter();
        yield return ("jieba Cut precise+HMM", () => { foreach (var p in _posts) { var n = jieba.Cut(p).Count(); _ = n; } });
        yield return ("jieba Cut precise no HMM", () => { foreach (var p in _posts) { var n = jieba.Cut(p, hmm: false).Count(); _ = n; } });
        yield return ("jieba CutForSearch", () => { foreach (var p in _posts) { var n = jieba.CutForSearch(p).Count(); _ = n; } });
        yield return ("jieba Tokenize search", () => { foreach (var p in _posts) { var n = jieba.Tokenize(p, JiebaNet.Segmenter.TokenizerMode.Search).Count(); _ = n; } });
        yield return ("wrapper Tokenize search", () => { foreach (var p in _posts) { _segmenter.Tokenize(p); } });
        yield return ("wrapper Tokenize precise", () => { foreach (var p in _posts) { _segmenter.Tokenize(p, searchMode: false); } });
    }

    /// <summary>The stages of detection one by one, for the <c>profile-stages</c> probe (time and allocation per corpus).</summary>
    public IEnumerable<(string Name, Action Run)> DetectionStages()
    {
        var normalised = _posts.Select(TextNormaliser.Normalise).ToList();
        var terms = new AhoCorasick<LexiconEntry>(_detector.Lexicon.Terms.Select(t => KeyValuePair.Create(t.Term, t)));
        var phonetic = new PhoneticMatcher(_detector.Lexicon.Terms.Where(t => t.Kind != Category.InExamTransmission && t.Weight >= 0.4));
        yield return ("normalise", () => { foreach (var p in _posts) { TextNormaliser.Normalise(p); } });
        yield return ("terms (Aho-Corasick)", () => { foreach (var n in normalised) { terms.FindAll(n.Value); } });
        yield return ("phonetic", () => { foreach (var n in normalised) { phonetic.Find(n.Value, []); } });
        yield return ("contacts", () => { foreach (var n in normalised) { ContactExtractor.Extract(n.Value, n.Original); } });
        yield return ("patterns", () =>
        {
            foreach (var n in normalised)
            {
                foreach (var pattern in _detector.Lexicon.Patterns)
                {
                    foreach (var m in pattern.Expression.EnumerateMatches(n.Value))
                    {
                        _ = m;
                    }
                }
            }
        });
        var concepts = new ExamNetWatch.Indexer.Detection.Concepts.ConceptMatcher(_detector.Lexicon.Concepts, _detector.Lexicon.Patterns, new WordBoundaries(_segmenter));
        yield return ("concepts", () => { foreach (var n in normalised) { concepts.Find(n, []); } });
        var conceptsNoCheck = new ExamNetWatch.Indexer.Detection.Concepts.ConceptMatcher(_detector.Lexicon.Concepts, [], new WordBoundaries(_segmenter));
        yield return ("concept words only", () => { foreach (var n in normalised) { conceptsNoCheck.Find(n, []); } });
        var conceptAc = new AhoCorasick<LexiconEntry>(_detector.Lexicon.Concepts.GroupBy(c => c.Term).Select(g => KeyValuePair.Create(g.Key, g.First())));
        yield return ("concept automaton alone", () => { var into = new List<AhoCorasick<LexiconEntry>.Match>(); foreach (var n in normalised) { into.Clear(); conceptAc.Collect(n.Value, into); } });
        yield return ("gather (rules, no verdict)", () => { foreach (var p in _posts) { _detector.Gather(null, p, DetectionContext.None); } });
        var model = _detector.Lexicon.Model!;
        var evidences = _posts.Select(p => _detector.Gather(null, p, DetectionContext.None)).ToList();
        yield return ("model probabilities", () => { foreach (var e in evidences) { model.Probabilities(e); } });
        var scoring = new DetectionScoring(_detector.Lexicon);
        yield return ("judge (verdict)", () => { foreach (var e in evidences) { scoring.Judge(e, DetectionContext.None); } });
        yield return ("detect (all)", () => Detect());
    }
}
