using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

public sealed class LexiconTests
{
    [Fact]
    public void LoadDefault_ShippedFiles_HaveTermsOfEveryFamilyWordsOfEveryClassAndAModel()
    {
        var lexicon = Lexicon.LoadDefault();

        Assert.Equal(Category.TermFamilies.Order(), lexicon.Terms.Select(t => t.Kind).Distinct().Order());
        Assert.Equal(ExamNetWatch.Indexer.Detection.Concepts.ConceptClass.All.Order(), lexicon.Concepts.Select(c => c.Kind).Distinct().Order());
        Assert.Equal(Category.WithRumour.Order(), lexicon.Combinations.Select(c => c.Category).Distinct().Order());
        Assert.NotNull(lexicon.Model);
    }

    [Fact]
    public void Parse_LineWithoutWeight_FailsNamingTheLine()
    {
        var error = Assert.Throws<FormatException>(() =>
            Lexicon.Parse(new StringReader("# comment\ndevice\t作弊器\t0.5\ndevice\t隐形耳机\n"), "terms.tsv").ToList());

        Assert.Contains("terms.tsv line 3", error.Message, StringComparison.Ordinal);
    }
}
