using System.Globalization;
using ExamNetWatch.Indexer.Search;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// Counts matching posts per day, source, category and severity from doc values: per segment by ordinal, turned
/// into names once per segment, so a query matching a million posts costs a pass over integers.
/// </summary>
internal sealed class LuceneAggregationCollector(TimeSpan dayOffset) : ICollector
{
    private readonly Dictionary<long, long> _days = [];
    private readonly Dictionary<string, long> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _severities = new(StringComparer.Ordinal);
    private readonly long _offsetMs = (long)dayOffset.TotalMilliseconds;
    private NumericDocValues? _time;
    private SortedDocValues? _source;
    private SortedSetDocValues? _category;
    private SortedDocValues? _severity;
    private long[] _sourceCounts = [];
    private long[] _categoryCounts = [];
    private long[] _severityCounts = [];

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        var reader = context.AtomicReader;
        _time = reader.GetNumericDocValues(PostFields.TimeValues);
        _source = reader.GetSortedDocValues(PostFields.SourceValues);
        _category = reader.GetSortedSetDocValues(PostFields.CategoryValues);
        _severity = reader.GetSortedDocValues(PostFields.SeverityValues);
        _sourceCounts = new long[_source?.ValueCount ?? 0];
        _categoryCounts = new long[_category?.ValueCount ?? 0];
        _severityCounts = new long[_severity?.ValueCount ?? 0];
    }

    public void Collect(int doc)
    {
        if (_time is not null)
        {
            var day = Math.DivRem(_time.Get(doc) + _offsetMs, 86_400_000L, out var rest) - (rest < 0 ? 1 : 0);
            _days[day] = _days.GetValueOrDefault(day) + 1;
        }

        if (_source?.GetOrd(doc) is >= 0 and var source)
        {
            _sourceCounts[source]++;
        }

        if (_severity?.GetOrd(doc) is >= 0 and var severity)
        {
            _severityCounts[severity]++;
        }

        if (_category is not null)
        {
            _category.SetDocument(doc);
            for (var ord = _category.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = _category.NextOrd())
            {
                _categoryCounts[ord]++;
            }
        }
    }

    public SearchAggregations Result()
    {
        Flush();
        return new SearchAggregations(
            [.. _days.OrderBy(d => d.Key).Select(d => new SearchBucket(DateTimeOffset.FromUnixTimeMilliseconds(d.Key * 86_400_000L).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Value))],
            Buckets(_sources),
            Buckets(_categories),
            Buckets(_severities));
    }

    private static List<SearchBucket> Buckets(Dictionary<string, long> counts) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new SearchBucket(c.Key, c.Value))];

    /// <summary>Turns the current segment's per-ordinal counts into counts per name (one lookup per ordinal seen).</summary>
    private void Flush()
    {
        Tally(_sourceCounts, (ord, bytes) => _source!.LookupOrd(ord, bytes), _sources);
        Tally(_severityCounts, (ord, bytes) => _severity!.LookupOrd(ord, bytes), _severities);
        Tally(_categoryCounts, (ord, bytes) => _category!.LookupOrd(ord, bytes), _categories);
        _sourceCounts = [];
        _categoryCounts = [];
        _severityCounts = [];
    }

    private static void Tally(long[] counts, Action<int, BytesRef> lookup, Dictionary<string, long> totals)
    {
        var bytes = new BytesRef();
        for (var ord = 0; ord < counts.Length; ord++)
        {
            if (counts[ord] > 0)
            {
                lookup(ord, bytes);
                var key = bytes.Utf8ToString();
                totals[key] = totals.GetValueOrDefault(key) + counts[ord];
            }
        }
    }
}
