using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Evaluation;

namespace ExamNetWatch.Indexer.Tests.Evaluation;

/// <summary>The gate on detection quality: the labelled development set (indexer/DevSet, see its README).</summary>
public sealed class DevelopmentSetTests
{
    private static readonly Lazy<EvaluationReport> Report = new(() =>
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "DevSet", "devset.jsonl"));
        return DetectionEvaluation.Evaluate([.. DetectionEvaluation.Read(reader)], new PostDetector(Lexicon.LoadDefault()));
    });

    [Fact]
    public void DevelopmentSet_NoWorseThanTheRulesAloneWere_Precision1Recall0995()
    {
        // 1.000 / 0.995 is what the rule-only detector scored before the model (it is also in the model's training data).
        var overall = Report.Value.Overall;

        Assert.True(overall.Precision >= 1.0, Report.Value.ToTable());
        Assert.True(overall.Recall >= 0.995, Report.Value.ToTable());
    }

    [Fact]
    public void DevelopmentSet_HasEnoughPostsOfEveryKind()
    {
        var report = Report.Value;

        Assert.True(report.Overall.TruePositives + report.Overall.FalseNegatives >= 200);
        Assert.True(report.Overall.TrueNegatives + report.Overall.FalsePositives >= 200);
        Assert.Superset(
            new HashSet<string> { "symbols", "spaces", "zero_width", "full_width", "repeated", "traditional", "homophone", "pinyin", "initials", "split", "emoji", "chinese_numerals", "styled_digits" },
            report.ByEvasion.Keys.ToHashSet());
        Assert.Superset(
            new HashSet<string> { "official_notice", "crackdown_news", "law_citation", "anti_fraud", "homework_answers", "device_talk", "tutoring_ad", "second_hand" },
            report.ByCategory.Keys.ToHashSet());
    }

    [Fact]
    public void Read_MalformedLine_FailsNamingTheLine()
    {
        var error = Assert.Throws<FormatException>(() => DetectionEvaluation.Read(new StringReader("{\"id\":\"a\",\"text\":\"x\",\"alert\":true,\"category\":\"device\"}\n{\"id\":\"b\"}")).ToList());

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }
}
