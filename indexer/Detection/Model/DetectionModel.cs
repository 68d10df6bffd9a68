using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>
/// The statistical half of detection: a multinomial logistic regression over the features of
/// <see cref="ModelFeatures"/>, trained in the repository from the labelled corpus (<see cref="ModelTrainer"/>) and
/// shipped as <c>model.tsv</c> with the rules. Classes: <c>none</c>, the four alert categories, <c>leak_rumour</c>.
/// Read-only once loaded, so shared between threads.
/// </summary>
public sealed class DetectionModel
{
    /// <summary>The model's file among the rules.</summary>
    public const string FileName = "model.tsv";

    /// <summary>The most classes a model may have.</summary>
    internal const int MaxClasses = 8;

    // Weights are stored MaxClasses to a row (zero-padded), so a row is one vector load.
    private const int Stride = MaxClasses;

    private readonly Entry[] _entries;

    // A one-hash Bloom filter of the features (2^18 bits, 32 KB, in the cache): most n-grams of a post are no feature,
    // and this answers for them without a miss in the table.
    private readonly ulong[] _bloom = new ulong[(1 << BloomBits) / 64];
    private const int BloomBits = 18;
    private readonly int _mask;
    private readonly float[] _weights;
    private readonly float[] _bias;
    private readonly ulong[] _rowKeys;

    internal DetectionModel(IReadOnlyList<string> classes, IReadOnlyDictionary<string, double> parameters, IReadOnlyList<string> comments, float[] bias, IReadOnlyList<(ulong Key, float[] Weights)> rows)
    {
        if (classes.Count is < 2 or > MaxClasses || classes[0] != "none")
        {
            throw new FormatException($"a model needs 2 to {MaxClasses} classes, the first 'none'");
        }

        Classes = classes;
        Parameters = parameters;
        Comments = comments;
        _bias = bias;
        var k = classes.Count;
        _weights = new float[rows.Count * Stride];
        _rowKeys = new ulong[rows.Count];
        var capacity = 16;
        while (capacity < rows.Count * 2)
        {
            capacity <<= 1;
        }

        _entries = new Entry[capacity];
        Array.Fill(_entries, new Entry(0, -1));
        _mask = capacity - 1;
        for (var r = 0; r < rows.Count; r++)
        {
            var (key, weights) = rows[r];
            var slot = Slot(key);
            while (_entries[slot].Row >= 0)
            {
                if (_entries[slot].Key == key)
                {
                    throw new FormatException($"feature '{FeatureKeys.NameOf(key)}' is listed twice");
                }

                slot = (slot + 1) & _mask;
            }

            _entries[slot] = new Entry(key, r);
            var bit = BloomBit(key);
            _bloom[bit >> 6] |= 1UL << bit;
            _rowKeys[r] = key;
            weights.AsSpan().CopyTo(_weights.AsSpan(r * Stride, k));
        }
    }

    private DetectionModel(DetectionModel source, IReadOnlyDictionary<string, double> parameters)
    {
        Classes = source.Classes;
        Comments = source.Comments;
        Parameters = parameters;
        _entries = source._entries;
        _bloom = source._bloom;
        _mask = source._mask;
        _weights = source._weights;
        _bias = source._bias;
        _rowKeys = source._rowKeys;
    }

    /// <summary>Returns the same model with other verdict parameters.</summary>
    internal DetectionModel With(IReadOnlyDictionary<string, double> parameters) => new(this, parameters);

    /// <summary>Gets the classes, <c>none</c> first.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Gets the verdict parameters stored with the model (thresholds chosen on the development split).</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; }

    /// <summary>Gets the comment lines of the file (what it was trained from).</summary>
    public IReadOnlyList<string> Comments { get; }

    /// <summary>Gets the number of features with weights.</summary>
    public int FeatureCount => _rowKeys.Length;

    /// <summary>Returns a parameter, or <paramref name="fallback"/> when the file does not set it.</summary>
    public double Parameter(string name, double fallback) => Parameters.TryGetValue(name, out var value) ? value : fallback;

    /// <summary>Returns the probability of each class for the post the evidence describes.</summary>
    internal double[] Probabilities(DetectionEvidence evidence)
    {
        var sink = new ScoringSink(this, null);
        var scale = ModelFeatures.NgramScale(ModelFeatures.Extract(evidence, ref sink));
        var k = Classes.Count;
        var logits = new double[k];
        var max = double.NegativeInfinity;
        for (var c = 0; c < k; c++)
        {
            logits[c] = _bias[c] + sink.Named.GetElement(c) + (scale * sink.Ngrams.GetElement(c));
            max = Math.Max(max, logits[c]);
        }

        var total = 0.0;
        for (var c = 0; c < k; c++)
        {
            logits[c] = Math.Exp(logits[c] - max);
            total += logits[c];
        }

        for (var c = 0; c < k; c++)
        {
            logits[c] /= total;
        }

        return logits;
    }

    /// <summary>
    /// Returns the features that raised class <paramref name="target"/> most against <c>none</c> (value × weight
    /// difference), strongest first.
    /// </summary>
    internal IReadOnlyList<(string Feature, double Contribution)> Explain(DetectionEvidence evidence, int target, int top)
    {
        // The post's features again, this time each kept with its row (scoring alone keeps nothing: most posts scored
        // are never explained).
        var hits = t_hits ??= new List<(int, float)>(256);
        hits.Clear();
        var sink = new ScoringSink(this, hits);
        var scale = ModelFeatures.NgramScale(ModelFeatures.Extract(evidence, ref sink));

        // Each feature's contribution (value × how much more it weighs for the target than for none), summed per feature
        // over the post's hits sorted by feature, and the strongest few kept in order in a small buffer.
        var order = System.Buffers.ArrayPool<long>.Shared.Rent(Math.Max(1, hits.Count));
        for (var i = 0; i < hits.Count; i++)
        {
            order[i] = ((long)hits[i].Row << 32) | (uint)i;
        }

        // Primitive keys (row, then position) sort without a comparer.
        Array.Sort(order, 0, hits.Count);
        Span<(int Row, double Value)> strongest = stackalloc (int, double)[Math.Min(top, 16)];
        var kept = 0;
        for (var i = 0; i < hits.Count;)
        {
            var row = (int)(order[i] >> 32);
            var difference = (double)_weights[(row * Stride) + target] - _weights[row * Stride];
            var contribution = 0.0;
            for (; i < hits.Count && (int)(order[i] >> 32) == row; i++)
            {
                var value = hits[(int)(uint)order[i]].Value;
                contribution += difference * (float.IsNaN(value) ? scale : value);
            }

            if (contribution <= 0 || (kept == strongest.Length && contribution <= strongest[kept - 1].Value))
            {
                continue;
            }

            var at = kept < strongest.Length ? kept++ : kept - 1;
            while (at > 0 && strongest[at - 1].Value < contribution)
            {
                strongest[at] = strongest[at - 1];
                at--;
            }

            strongest[at] = (row, contribution);
        }

        System.Buffers.ArrayPool<long>.Shared.Return(order);
        var best = new List<(string, double)>(kept);
        for (var i = 0; i < kept; i++)
        {
            best.Add((FeatureKeys.NameOf(_rowKeys[strongest[i].Row]), strongest[i].Value));
        }

        return best;
    }

    [ThreadStatic]
    private static List<(int Row, float Value)>? t_hits;


    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BloomBit(ulong key) => (int)((key * 0xC2B2AE3D27D4EB4FUL) >> (64 - BloomBits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Row(ulong key)
    {
        var bit = BloomBit(key);
        if ((_bloom[bit >> 6] & (1UL << bit)) == 0)
        {
            return -1;
        }

        var slot = Slot(key);
        while (true)
        {
            var entry = _entries[slot];
            if (entry.Row < 0 || entry.Key == key)
            {
                return entry.Row;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="FormatException">The file is malformed; the message names the file and line.</exception>
    public static DetectionModel Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        List<string>? classes = null;
        float[]? bias = null;
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        var comments = new List<string>();
        var rows = new List<(ulong, float[])>();
        try
        {
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (line.StartsWith('#'))
                {
                    comments.Add(line[1..].Trim());
                    continue;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                var columns = line.Split('\t');
                switch (columns[0])
                {
                    case "classes":
                        classes = [.. columns.Skip(1)];
                        break;
                    case "param" when columns.Length == 3:
                        parameters[columns[1]] = Number(columns[2]);
                        break;
                    case "bias":
                        bias = Weights(columns, classes);
                        break;
                    default:
                        rows.Add((FeatureKeys.Parse(columns[0]), Weights(columns, classes)));
                        break;
                }
            }

            return classes is null || bias is null
                ? throw new FormatException("the 'classes' and 'bias' lines are missing")
                : new DetectionModel(classes, parameters, comments, bias, rows);
        }
        catch (FormatException ex)
        {
            throw new FormatException(number == 0 ? $"{name}: {ex.Message}" : $"{name} line {number}: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the model in the format <see cref="Parse"/> reads.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.NewLine = "\n";
        foreach (var comment in Comments)
        {
            writer.WriteLine("# " + comment);
        }

        writer.WriteLine("classes\t" + string.Join('\t', Classes));
        foreach (var (name, value) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteLine(FormattableString.Invariant($"param\t{name}\t{value:0.####}"));
        }

        var k = Classes.Count;
        writer.WriteLine("bias\t" + Format(_bias));
        var order = Enumerable.Range(0, _rowKeys.Length).Select(r => (Row: r, Name: FeatureKeys.NameOf(_rowKeys[r])))
            .OrderBy(r => r.Name, StringComparer.Ordinal);
        foreach (var (row, featureName) in order)
        {
            writer.WriteLine(featureName + "\t" + Format(_weights.AsSpan(row * Stride, k).ToArray()));
        }
    }

    /// <summary>
    /// Returns, for each class but <c>none</c>, the features whose weight for it most exceeds their weight for
    /// <c>none</c>; with <paramref name="namedOnly"/>, only the rules' features (concept classes, combinations, terms,
    /// contacts), which say more to a reader than single character pairs.
    /// </summary>
    public IReadOnlyList<(string Class, IReadOnlyList<(string Feature, double Weight)> Features)> Strongest(int top, bool namedOnly = false)
    {
        var k = Classes.Count;
        return [.. Enumerable.Range(1, k - 1).Select(c => (Classes[c], (IReadOnlyList<(string, double)>)[.. Enumerable.Range(0, _rowKeys.Length)
            .Where(r => !namedOnly || (_rowKeys[r] >> 62) == 0)
            .Select(r => (Row: r, Weight: (double)_weights[(r * Stride) + c] - _weights[r * Stride]))
            .OrderByDescending(r => r.Weight).ThenBy(r => r.Row).Take(top)
            .Select(r => (FeatureKeys.NameOf(_rowKeys[r.Row]), Math.Round(r.Weight, 3)))]))];
    }

    /// <summary>Returns the weight of <paramref name="feature"/> for each class, or null when the model has none.</summary>
    public IReadOnlyList<float>? WeightsOf(string feature)
    {
        var row = Row(FeatureKeys.Parse(feature));
        return row < 0 ? null : _weights.AsSpan(row * Stride, Classes.Count).ToArray();
    }

    private static string Format(float[] weights) => string.Join('\t', weights.Select(w => w.ToString("0.####", CultureInfo.InvariantCulture)));

    private static double Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"'{text}' is not a number");

    private static float[] Weights(string[] columns, List<string>? classes)
    {
        if (classes is null)
        {
            throw new FormatException("the 'classes' line must come first");
        }

        if (columns.Length != classes.Count + 1)
        {
            throw new FormatException($"'{columns[0]}' needs {classes.Count} weights, one per class");
        }

        return [.. columns.Skip(1).Select(c => (float)Number(c))];
    }

    /// <summary>Adds the weights of each feature the model knows, a row at a time, without building anything per feature; with a list, keeps each row found (for explanations).</summary>
    private struct ScoringSink(DetectionModel model, List<(int Row, float Value)>? hits) : IFeatureSink
    {
        public Vector256<float> Ngrams;
        public Vector256<float> Named;

        public void AddNgram(ulong key)
        {
            var row = model.Row(key);
            if (row >= 0)
            {
                Ngrams += Vector256.LoadUnsafe(ref model._weights[row * Stride]);
                hits?.Add((row, float.NaN));
            }
        }

        public void AddNamed(ulong key, float value)
        {
            var row = model.Row(key);
            if (row >= 0)
            {
                Named += Vector256.LoadUnsafe(ref model._weights[row * Stride]) * value;
                hits?.Add((row, value));
            }
        }
    }

    private readonly record struct Entry(ulong Key, int Row);
}
