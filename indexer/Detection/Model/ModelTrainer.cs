namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>A post to learn from: what the rules found in it and its class (index into the model's classes).</summary>
internal sealed record TrainingExample(DetectionEvidence Evidence, int Class);

/// <summary>How the model is fitted. The defaults are what the shipped model was trained with.</summary>
public sealed record ModelTrainingOptions
{
    /// <summary>Passes over the training posts.</summary>
    public int Epochs { get; init; } = 40;

    /// <summary>AdaGrad's base learning rate.</summary>
    public double LearningRate { get; init; } = 0.2;

    /// <summary>L2 penalty on the weights (per update of a feature).</summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>An n-gram is a feature when at least this many training posts contain it.</summary>
    public int MinimumPosts { get; init; } = 2;

    /// <summary>Seed of the order in which posts are visited (fixed: training is reproducible bit for bit).</summary>
    public int Seed { get; init; } = 20261201;

    /// <summary>Weights smaller than this for every class are left out of the file.</summary>
    public double Prune { get; init; } = 1e-3;
}

/// <summary>
/// Fits <see cref="DetectionModel"/> by AdaGrad on the softmax loss with an L2 penalty. Deterministic: the same posts,
/// lexicon and options give the same file.
/// </summary>
internal static class ModelTrainer
{
    public static DetectionModel Train(IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> classes, ModelTrainingOptions options, IReadOnlyDictionary<string, double> parameters, IReadOnlyList<string> comments)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var k = classes.Count;

        // Features of every post; n-grams counted, then kept when enough posts have them.
        var posts = new List<(Dictionary<ulong, float> Features, HashSet<ulong> Ngrams, float Scale, int Class)>(examples.Count);
        var documentFrequency = new Dictionary<ulong, int>();
        foreach (var example in examples)
        {
            var sink = new DictionarySink(new Dictionary<ulong, float>(), new HashSet<ulong>());
            var ngrams = ModelFeatures.Extract(example.Evidence, ref sink);
            foreach (var key in sink.NgramKeys)
            {
                documentFrequency[key] = documentFrequency.GetValueOrDefault(key) + 1;
            }

            posts.Add((sink.Features, sink.NgramKeys, ModelFeatures.NgramScale(ngrams), example.Class));
        }

        var columns = new Dictionary<ulong, int>();
        foreach (var key in posts.SelectMany(p => p.Features.Keys).Distinct().Order())
        {
            if (!documentFrequency.TryGetValue(key, out var posted) || posted >= options.MinimumPosts)
            {
                columns[key] = columns.Count;
            }
        }

        var data = posts.Select(p =>
        {
            var entries = p.Features.Where(f => columns.ContainsKey(f.Key)).OrderBy(f => columns[f.Key]).ToArray();
            return (Columns: entries.Select(e => columns[e.Key]).ToArray(),
                    Values: entries.Select(e => p.Ngrams.Contains(e.Key) ? e.Value * p.Scale : e.Value).ToArray(),
                    p.Class);
        }).ToArray();

        var weights = new double[columns.Count * k];
        var squares = new double[columns.Count * k];
        var bias = new double[k];
        var biasSquares = new double[k];
        var probabilities = new double[k];
        var order = Enumerable.Range(0, data.Length).ToArray();
        var random = new Random(options.Seed);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var (cols, values, label) = data[index];
                var max = double.NegativeInfinity;
                for (var c = 0; c < k; c++)
                {
                    var logit = bias[c];
                    for (var j = 0; j < cols.Length; j++)
                    {
                        logit += weights[(cols[j] * k) + c] * values[j];
                    }

                    probabilities[c] = logit;
                    max = Math.Max(max, logit);
                }

                var total = 0.0;
                for (var c = 0; c < k; c++)
                {
                    probabilities[c] = Math.Exp(probabilities[c] - max);
                    total += probabilities[c];
                }

                for (var c = 0; c < k; c++)
                {
                    var error = (probabilities[c] / total) - (c == label ? 1 : 0);
                    biasSquares[c] += error * error;
                    bias[c] -= options.LearningRate * error / (Math.Sqrt(biasSquares[c]) + 1e-8);
                    for (var j = 0; j < cols.Length; j++)
                    {
                        var at = (cols[j] * k) + c;
                        var gradient = (error * values[j]) + (options.L2 * weights[at]);
                        squares[at] += gradient * gradient;
                        weights[at] -= options.LearningRate * gradient / (Math.Sqrt(squares[at]) + 1e-8);
                    }
                }
            }
        }

        var rows = new List<(ulong, float[])>();
        foreach (var (key, column) in columns)
        {
            var row = new float[k];
            var keep = false;
            for (var c = 0; c < k; c++)
            {
                row[c] = (float)Math.Round(weights[(column * k) + c], 4);
                keep |= Math.Abs(row[c]) >= options.Prune;
            }

            if (keep)
            {
                rows.Add((key, row));
            }
        }

        return new DetectionModel(classes, parameters, comments, [.. bias.Select(b => (float)Math.Round(b, 4))], rows);
    }

    private readonly struct DictionarySink(Dictionary<ulong, float> features, HashSet<ulong> ngramKeys) : IFeatureSink
    {
        public Dictionary<ulong, float> Features => features;

        public HashSet<ulong> NgramKeys => ngramKeys;

        public void AddNgram(ulong key)
        {
            features[key] = features.GetValueOrDefault(key) + 1;
            ngramKeys.Add(key);
        }

        public void AddNamed(ulong key, float value) => features[key] = features.GetValueOrDefault(key) + value;
    }
}
