using System.Text;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Detection.Model;
using ExamNetWatch.Indexer.Evaluation;

namespace ExamNetWatch.Indexer.Tests.Detection.Model;

/// <summary>The model file and its training: readable, checked, and rebuilt bit for bit from the corpus.</summary>
public sealed class DetectionModelTests
{
    private static string Folder(string name) => Path.Combine(AppContext.BaseDirectory, name);

    [Fact]
    public void Parse_ShippedModel_WritesBackTheSameText()
    {
        var text = File.ReadAllText(Path.Combine(Folder("Lexicon"), DetectionModel.FileName));
        var model = DetectionModel.Parse(new StringReader(text), DetectionModel.FileName);

        var written = new StringWriter();
        model.Write(written);

        Assert.Equal(text, written.ToString());
        Assert.Equal(["none", .. Category.WithRumour], model.Classes);
        Assert.True(model.FeatureCount > 1000, $"{model.FeatureCount} features");
    }

    [Theory]
    [InlineData("classes\tnone\tdevice\nbias\t0\n", "line 2")]
    [InlineData("bias\t0\t0\n", "line 1")]
    [InlineData("classes\tnone\tdevice\nbias\t0\t0\ng:答案\t0.1\tx\n", "line 3")]
    [InlineData("classes\tdevice\tnone\nbias\t0\t0\n", "'none'")]
    [InlineData("classes\tnone\tdevice\nbias\t0\t0\ng:一二三\t0\t0\n", "line 3")]
    public void Parse_MalformedFile_FailsNamingWhatIsWrong(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => DetectionModel.Parse(new StringReader(text), "model.tsv"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("model.tsv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_FromTheCommittedCorpus_RebuildsTheShippedModelExactly()
    {
        var lexicon = Lexicon.Load(Folder("Lexicon"));
        var trainFiles = new[] { Path.Combine(Folder("Corpus"), "train.jsonl"), Path.Combine(Folder("DevSet"), "devset.jsonl") };
        var sets = trainFiles.Select(DetectionEvaluation.ReadFile).ToList();
        var dev = DetectionEvaluation.ReadFile(Path.Combine(Folder("Corpus"), "dev.jsonl"));
        var shipped = File.ReadAllText(Path.Combine(Folder("Lexicon"), DetectionModel.FileName));
        var provenance = shipped.Split('\n').Where(l => l.StartsWith("# trained on", StringComparison.Ordinal) || l.StartsWith("# thresholds chosen on", StringComparison.Ordinal)).Select(l => l[2..]).ToList();

        var build = DetectionModelBuilder.Build(lexicon, [.. sets.SelectMany(s => s)], dev, new ModelTrainingOptions(), provenance);
        var written = new StringWriter { NewLine = "\n" };
        build.Model.Write(written);

        // Bit for bit on this machine; across machines the C library's exp() may differ in a last bit, so the check is
        // every feature, parameter and comment the same, and every weight within 0.001.
        var rebuilt = Rows(written.ToString());
        var committed = Rows(shipped);
        const string Retrain = "indexer/Lexicon/model.tsv is not what `examnetwatch model train` builds from the committed corpus and rules: run it again and commit the result";
        Assert.True(rebuilt.Keys.Order(StringComparer.Ordinal).SequenceEqual(committed.Keys.Order(StringComparer.Ordinal)), Retrain);
        foreach (var (feature, values) in committed)
        {
            var other = rebuilt[feature];
            Assert.True(values.Length == other.Length && values.Zip(other).All(p => p.First == p.Second || (double.TryParse(p.First, System.Globalization.CultureInfo.InvariantCulture, out var a) && double.TryParse(p.Second, System.Globalization.CultureInfo.InvariantCulture, out var b) && Math.Abs(a - b) <= 0.001)), $"{Retrain} ({feature})");
        }
    }

    private static Dictionary<string, string[]> Rows(string model) =>
        model.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(c => c[0] == "param" ? "param " + c[1] : c[0].StartsWith('#') ? string.Join('\t', c) : c[0], c => c[0] == "param" ? c[2..] : c[1..], StringComparer.Ordinal);

    [Fact]
    public void Train_SamePostsTwice_GivesTheSameWeights()
    {
        var lexicon = Lexicon.Load(Folder("Lexicon"));
        var posts = DetectionEvaluation.ReadFile(Path.Combine(Folder("DevSet"), "devset.jsonl"));

        string Once()
        {
            var build = DetectionModelBuilder.Build(lexicon, posts.Take(300).ToList(), posts.Skip(300).ToList(), new ModelTrainingOptions { Epochs = 5 }, []);
            var text = new StringWriter();
            build.Model.Write(text);
            return text.ToString();
        }

        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void Detect_Alert_ExplainsTheModelsStrongestFeatures()
    {
        var result = new PostDetector(Lexicon.LoadDefault()).Detect(null, "出四级答案 考前发 一科三百 扣扣 2873341190");

        var model = Assert.Single(result.Explanations, e => e.Rule == "model");
        Assert.Contains("paper_leak", model.Detail, StringComparison.Ordinal);
        Assert.Matches("：[^ ]+ \\+[0-9.]+", model.Detail); // the features that drove it, with their contributions
        Assert.True(model.Weight > 0.5, model.Detail);
    }
}
