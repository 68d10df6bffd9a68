using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Detection.Model;
using ExamNetWatch.Indexer.Evaluation;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>
/// <c>model train|show</c>: the detection model is built in the repository from the labelled corpus, by one command,
/// reproducibly (the same corpus and rules give the same file), and shipped with the rules.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var repository = RepositoryRoot();
        var corpus = new Option<DirectoryInfo>("--corpus")
        {
            Description = "Folder of the labelled corpus (train.jsonl, dev.jsonl); the test split is never read",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(repository, "indexer", "Corpus")),
        };
        var lexicon = new Option<DirectoryInfo>("--lexicon")
        {
            Description = "Folder of the rules whose concepts the model reads (terms.tsv, concepts.tsv, combinations.tsv, patterns.tsv)",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(repository, "indexer", "Lexicon")),
        };
        var output = new Option<FileInfo?>("--out") { Description = "Model file to write (default: model.tsv in the --lexicon folder)" };
        var extra = new Option<FileInfo[]>("--also-train")
        {
            Description = "More labelled files to train on (default: the development set written here, indexer/DevSet/devset.jsonl)",
            DefaultValueFactory = _ => [new FileInfo(Path.Combine(repository, "indexer", "DevSet", "devset.jsonl"))],
            AllowMultipleArgumentsPerToken = true,
        };
        var defaults = new ModelTrainingOptions();
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training posts", DefaultValueFactory = _ => defaults.Epochs };
        var l2 = new Option<double>("--l2") { Description = "L2 penalty on the weights", DefaultValueFactory = _ => defaults.L2 };
        var rate = new Option<double>("--learning-rate") { Description = "AdaGrad's base learning rate", DefaultValueFactory = _ => defaults.LearningRate };
        var train = new Command("train", "Train the detection model on the corpus's train split (and --also-train), choose its thresholds on the dev split, write model.tsv; the defaults are what the shipped model was trained with") { corpus, lexicon, output, extra, epochs, l2, rate };
        train.SetAction(async (r, ct) =>
        {
            var folder = r.GetValue(corpus)!;
            var rules = r.GetValue(lexicon)!;
            var target = r.GetValue(output) ?? new FileInfo(Path.Combine(rules.FullName, DetectionModel.FileName));
            try
            {
                var trainFiles = new[] { new FileInfo(Path.Combine(folder.FullName, "train.jsonl")) }.Concat(r.GetValue(extra) ?? []).ToList();
                var devFile = new FileInfo(Path.Combine(folder.FullName, "dev.jsonl"));
                var sets = trainFiles.Select(f => DetectionEvaluation.ReadFile(f.FullName)).ToList();
                var posts = sets.SelectMany(s => s).ToList();
                var dev = DetectionEvaluation.ReadFile(devFile.FullName);
                var provenance = trainFiles.Select((f, i) => Describe("trained on", f, sets[i].Count))
                    .Append(Describe("thresholds chosen on", devFile, dev.Count))
                    .ToList();
                var options = new ModelTrainingOptions { Epochs = r.GetValue(epochs), L2 = r.GetValue(l2), LearningRate = r.GetValue(rate) };
                var build = DetectionModelBuilder.Build(Lexicon.Load(rules.FullName), posts, dev, options, provenance);
                await using (var writer = new StreamWriter(target.FullName, append: false, new System.Text.UTF8Encoding(false)))
                {
                    build.Model.Write(writer);
                }

                await Console.Out.WriteLineAsync("combine  rule weight  threshold   dev precision  recall  F1");
                foreach (var trial in build.Trials)
                {
                    await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{trial.Combine,7}  {trial.RuleWeight,11:0.00}  {trial.AlertThreshold,9:0.00}   {trial.Dev.Precision,13:0.000}  {trial.Dev.Recall,6:0.000}  {trial.Dev.F1:0.000}"));
                }

                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"chosen: combine {build.Model.Parameter("combine", 0)}, rule weight {build.Model.Parameter("rule_weight", 0):0.00}, alert threshold {build.Model.Parameter("alert_threshold", 0):0.00}; {build.Model.FeatureCount} features from {posts.Count} posts; written to {target.FullName}"));
                return 0;
            }
            catch (Exception ex) when (ex is FormatException or IOException)
            {
                await Console.Error.WriteLineAsync("model train: " + ex.Message);
                return 2;
            }
        });

        var show = new Command("show", "Describe the model in force: what it was trained on, its thresholds and its strongest features per class");
        show.SetAction(async (r, ct) =>
        {
            await using var services = ExamNetWatch.Dashboard.Hosting.CliHost.Build(r.GetValue(CommandLine.DataDir)!);
            if (services.GetRequiredService<Lexicon>().Model is not { } model)
            {
                await Console.Out.WriteLineAsync("no model: detection uses the rules alone");
                return 0;
            }

            foreach (var line in model.Comments)
            {
                await Console.Out.WriteLineAsync(line);
            }

            await Console.Out.WriteLineAsync(string.Join(", ", model.Parameters.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))));
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{model.FeatureCount} features, classes {string.Join(", ", model.Classes)}"));
            foreach (var (name, features) in model.Strongest(12))
            {
                await Console.Out.WriteLineAsync($"{name}: {string.Join("  ", features.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Feature} {f.Weight:+0.00;-0.00}")))}");
            }

            return 0;
        });

        return new Command("model", "The trained detection model: build it from the corpus, or describe the one in force") { train, show };
    }

    private static string Describe(string what, FileInfo file, int posts)
    {
        using var stream = file.OpenRead();
        return string.Create(CultureInfo.InvariantCulture, $"{what} {file.Name}: {posts} posts, sha256 {Convert.ToHexStringLower(SHA256.HashData(stream))}");
    }

    /// <summary>The repository holding the corpus: the nearest folder upwards with ExamNetWatch.sln, from here or from the program.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ExamNetWatch.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return Environment.CurrentDirectory;
    }
}
