using System.Globalization;
using ExamNetWatch.Indexer.Evaluation;

namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>What a build of the model measured on the development split for each candidate setting.</summary>
public sealed record ThresholdTrial(int Combine, double RuleWeight, double AlertThreshold, Confusion Dev);

/// <summary>A trained model and how its verdict parameters were chosen.</summary>
public sealed record ModelBuild(DetectionModel Model, IReadOnlyList<ThresholdTrial> Trials);

/// <summary>
/// Builds the shipped model from the labelled corpus: weights fitted on the train split with the rules of
/// <c>lexicon</c> as features, then the verdict parameters (how much the rules weigh against the model, and the alert
/// threshold) chosen on the development split — the setting of highest F1 among those with precision of at least
/// <see cref="MinimumDevPrecision"/>. The test split plays no part. Deterministic: the same files give the same model.
/// </summary>
public static class DetectionModelBuilder
{
    /// <summary>The precision the chosen setting must reach on the development split.</summary>
    public const double MinimumDevPrecision = 0.95;

    private static readonly double[] RuleWeights = [0.3, 0.4, 0.5, 0.6, 0.7];
    private static readonly double[] AlertThresholds = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
    private static readonly int[] Combines = [0, 1, 2];

    /// <summary>Gets the model's classes: none, the alert categories, leak_rumour.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["none", .. Category.WithRumour];

    /// <summary>Trains a model for <paramref name="lexicon"/> (its own model, if any, is ignored).</summary>
    public static ModelBuild Build(Lexicon lexicon, IReadOnlyList<LabelledPost> train, IReadOnlyList<LabelledPost> dev, ModelTrainingOptions options, IReadOnlyList<string> provenance)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(dev);
        ArgumentNullException.ThrowIfNull(options);
        var rulesOnly = new Lexicon(lexicon.Terms, lexicon.Concepts, lexicon.Patterns, lexicon.Combinations);
        var detector = new PostDetector(rulesOnly);
        var examples = train.Select(p => new TrainingExample(detector.Gather(p.Title, p.Text, DetectionContext.None), ClassOf(p))).ToList();
        var comments = new List<string>
        {
            "ExamNetWatch detection model: multinomial logistic regression over character n-grams and the rules' concept features.",
            "Rebuild: examnetwatch model train (see indexer/Corpus/README.md). Do not edit by hand.",
        };
        comments.AddRange(provenance);
        comments.Add(string.Create(CultureInfo.InvariantCulture, $"options: epochs {options.Epochs}, learning rate {options.LearningRate}, L2 {options.L2}, n-grams in at least {options.MinimumPosts} posts, seed {options.Seed}"));

        var trained = ModelTrainer.Train(examples, Classes, options, new Dictionary<string, double>(), comments);
        var trials = new List<ThresholdTrial>();
        foreach (var combine in Combines)
        {
            foreach (var ruleWeight in RuleWeights)
            {
                foreach (var threshold in AlertThresholds)
                {
                    var candidate = WithParameters(trained, combine, ruleWeight, threshold);
                    var judge = new PostDetector(new Lexicon(lexicon.Terms, lexicon.Concepts, lexicon.Patterns, lexicon.Combinations, candidate));
                    var report = DetectionEvaluation.Evaluate(dev, judge);
                    trials.Add(new ThresholdTrial(combine, ruleWeight, threshold, report.Overall));
                }
            }
        }

        var chosen = trials.Where(t => t.Dev.Precision >= MinimumDevPrecision).OrderByDescending(t => t.Dev.F1).ThenByDescending(t => t.Dev.Precision).FirstOrDefault()
            ?? trials.OrderByDescending(t => t.Dev.Precision).ThenByDescending(t => t.Dev.F1).First();
        return new ModelBuild(WithParameters(trained, chosen.Combine, chosen.RuleWeight, chosen.AlertThreshold), trials);
    }

    /// <summary>The model's class of a labelled post.</summary>
    public static int ClassOf(LabelledPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        var name = post.Label switch
        {
            "alert" => post.Category,
            "watch" => Category.LeakRumour,
            _ => "none",
        };
        var index = Classes.ToList().IndexOf(name);
        return index >= 0 ? index : throw new FormatException($"post {post.Id}: '{post.Category}' is not a category of the model");
    }

    private static DetectionModel WithParameters(DetectionModel model, int combine, double ruleWeight, double threshold)
    {
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["combine"] = combine,
            ["rule_weight"] = ruleWeight,
            ["alert_threshold"] = threshold,
            ["high_threshold"] = Math.Round(threshold + 0.15, 3),
            ["watch_threshold"] = Math.Round(threshold - 0.15, 3),
            ["rumour_threshold"] = 0.45,
            ["rule_alone"] = DetectionScoring.RuleAlone,
        };
        return model.With(parameters);
    }
}
