namespace ExamNetWatch.Dashboard.Rules;

/// <summary>One rule as written in its file: the line number and the tab-separated columns.</summary>
/// <param name="File">terms.tsv, concepts.tsv, combinations.tsv or patterns.tsv.</param>
/// <param name="Number">The 1-based line number in the file.</param>
/// <param name="Raw">The line exactly as stored, to detect concurrent edits.</param>
public sealed record RuleLine(string File, int Number, string Raw)
{
    /// <summary>
    /// Gets the columns: kind, term, weight (terms and concepts); category, label, weight, expression (patterns);
    /// category, name, weight, window, classes (combinations).
    /// </summary>
    public IReadOnlyList<string> Columns => Raw.Split('\t', File switch { RuleBook.PatternsFile => 4, RuleBook.CombinationsFile => 5, _ => 3 });

    public string Kind => Columns[0];

    public string Term => Columns.Count > 1 ? Columns[1] : string.Empty;

    public string Weight => Columns.Count > 2 ? Columns[2] : string.Empty;

    public string Expression => File == RuleBook.CombinationsFile ? (Columns.Count > 4 ? Columns[4] : string.Empty) : Columns.Count > 3 ? Columns[3] : string.Empty;

    /// <summary>Gets the window of a combination (characters; 0 = the whole field).</summary>
    public string Window => File == RuleBook.CombinationsFile && Columns.Count > 3 ? Columns[3] : string.Empty;
}

/// <summary>What an installation of rules changed, as the audit log and the page report it.</summary>
public sealed record RuleChange(int Terms, int Concepts, int Combinations, int Patterns, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    /// <summary>Gets the one-line summary written to the audit log.</summary>
    public string Summary =>
        $"{Terms} terms, {Concepts} concept words, {Combinations} combinations, {Patterns} patterns; added {string.Join("、", Added)}; removed {string.Join("、", Removed)}";
}
