using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Tests.Detection;

public sealed class AhoCorasickTests
{
    [Fact]
    public void FindAll_OverlappingAndNestedPatterns_FindsEveryOccurrence()
    {
        var matcher = new AhoCorasick<int>([KeyValuePair.Create("接收器", 1), KeyValuePair.Create("橡皮接收器", 2), KeyValuePair.Create("器材", 3)]);

        var found = matcher.FindAll("橡皮接收器材").Select(m => (m.Start, m.End, m.Pattern)).ToList();

        Assert.Equal([(0, 5, "橡皮接收器"), (2, 5, "接收器"), (4, 6, "器材")], found.OrderBy(f => f.Start));
    }

    [Fact]
    public void FindAll_RandomTexts_AgreesWithANaiveSearch()
    {
        var random = new Random(20260615);
        const string alphabet = "作弊器答案考中";
        var patterns = Enumerable.Range(0, 30)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => alphabet[random.Next(alphabet.Length)])]))
            .Distinct()
            .ToList();
        var matcher = new AhoCorasick<string>(patterns.Select(p => KeyValuePair.Create(p, p)));

        for (var round = 0; round < 200; round++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var expected = new List<(int, string)>();
            foreach (var p in patterns)
            {
                for (var i = text.IndexOf(p, StringComparison.Ordinal); i >= 0; i = text.IndexOf(p, i + 1, StringComparison.Ordinal))
                {
                    expected.Add((i, p));
                }
            }

            var actual = matcher.FindAll(text).Select(m => (m.Start, m.Pattern)).ToList();
            Assert.Equal(expected.Order(), actual.Order());
        }
    }
}
