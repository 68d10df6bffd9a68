using System.Globalization;

namespace ExamNetWatch.Indexer.Detection.Concepts;

/// <summary>
/// A rule that fires when words of several concept classes occur together within a span: e.g. paper_leak when an
/// object (答案), an exam (四六级) and a transaction (一科300 | 考后付款 | 出) are within 40 characters.
/// </summary>
/// <param name="Category">The category the rule points to (a term family or <c>leak_rumour</c>).</param>
/// <param name="Name">A short stable name, shown in explanations and used as a model feature.</param>
/// <param name="Weight">The rule score when it fires, in [0, 1].</param>
/// <param name="Window">The span in normalised characters that must hold one word of every group; 0 means the whole field.</param>
/// <param name="Groups">Each group is a set of classes; a word of any of them satisfies the group. The contact group is
/// also satisfied by any contact found in the post.</param>
public sealed record CombinationRule(string Category, string Name, double Weight, int Window, IReadOnlyList<IReadOnlyList<string>> Groups)
{
    /// <summary>Gets the groups as bit masks over <see cref="ConceptClass.All"/>.</summary>
    internal int[] Masks { get; } = [.. Groups.Select(g => g.Aggregate(0, (mask, c) => mask | (1 << ConceptClass.IndexOf(c))))];

    /// <summary>Gets the key of the rule's model feature (<c>r:name</c>).</summary>
    internal ulong FeatureKey { get; } = Model.FeatureKeys.Named("r:" + Name);

    /// <summary>Returns whether words of the classes <paramref name="classes"/> (bits) could meet every group.</summary>
    internal bool MetBy(int classes)
    {
        foreach (var mask in Masks)
        {
            if ((mask & classes) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the groups written as in the file: classes joined by '|', groups by spaces.</summary>
    public string GroupsText => string.Join(' ', Groups.Select(g => string.Join('|', g)));

    /// <summary>Parses TSV lines <c>category, name, weight, window, groups</c>; '#' starts a comment line.</summary>
    /// <exception cref="FormatException">A line is malformed or names an unknown class; the message names the line.</exception>
    public static IEnumerable<CombinationRule> Parse(TextReader reader, string name)
    {
        foreach (var (number, line) in RuleFileLines.Read(reader))
        {
            var columns = line.Split('\t');
            if (columns.Length != 5
                || !double.TryParse(columns[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > 1
                || !int.TryParse(columns[3], NumberStyles.None, CultureInfo.InvariantCulture, out var window) || window > 1000)
            {
                throw new FormatException($"{name} line {number}: expected 'category<TAB>name<TAB>weight<TAB>window<TAB>classes' with a weight in [0, 1] and a window of 0–1000 characters.");
            }

            var groups = columns[4].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(g => (IReadOnlyList<string>)[.. g.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)])
                .ToList();
            if (groups.Count == 0 || groups.Count > 6)
            {
                throw new FormatException($"{name} line {number}: a combination needs 1 to 6 groups of classes separated by spaces.");
            }

            if (groups.SelectMany(g => g).FirstOrDefault(c => ConceptClass.IndexOf(c) < 0) is { } unknown)
            {
                throw new FormatException($"{name} line {number}: unknown class '{unknown}' (one of {string.Join(", ", ConceptClass.All)}).");
            }

            var category = columns[0].Trim();
            var ruleName = columns[1].Trim();
            if (ruleName.Length == 0 || ruleName.Any(char.IsWhiteSpace))
            {
                throw new FormatException($"{name} line {number}: the name must be one word.");
            }

            yield return new CombinationRule(category, ruleName, weight, window, groups);
        }
    }
}
