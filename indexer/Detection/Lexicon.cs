using System.Globalization;
using ExamNetWatch.Indexer.Detection.Concepts;
using ExamNetWatch.Indexer.Detection.Model;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>A lexicon entry: a term of a category, or a word of a concept class, with its weight.</summary>
public sealed record LexiconEntry(string Kind, string Term, double Weight);

/// <summary>A pattern: a regular expression of a category (e.g. "第12题选什么") or of a concept class (a price such as 一科300), reported under its label.</summary>
public sealed record PatternEntry(string Kind, string Label, double Weight, System.Text.RegularExpressions.Regex Expression)
{
    /// <summary>Gets the characters of which every match holds one (a post without any is not scanned), or null.</summary>
    internal System.Buffers.SearchValues<char>? Triggers { get; } = PatternTriggers.Of(Expression.ToString());

    /// <summary>Returns whether the pattern can match <paramref name="text"/> at all (it holds a trigger, or the pattern has none).</summary>
    internal bool MayMatch(string text) => Triggers is null || text.AsSpan().ContainsAny(Triggers);
}

/// <summary>
/// The detection rules, loaded from versioned files (embedded in the assembly by default): <c>terms.tsv</c> (fixed
/// terms of a category), <c>concepts.tsv</c> (the words of each concept class), <c>combinations.tsv</c> (classes that
/// together point to a category), <c>patterns.tsv</c> (regular expressions) and <c>model.tsv</c> (the trained model).
/// Terms and words are normalised the same way posts are.
/// </summary>
public sealed class Lexicon
{
    /// <summary>The file of the fixed terms.</summary>
    public const string TermsFile = "terms.tsv";

    /// <summary>The file of the concept words.</summary>
    public const string ConceptsFile = "concepts.tsv";

    /// <summary>The file of the combination rules.</summary>
    public const string CombinationsFile = "combinations.tsv";

    /// <summary>The file of the patterns.</summary>
    public const string PatternsFile = "patterns.tsv";

    public Lexicon(IEnumerable<LexiconEntry> terms, IEnumerable<LexiconEntry> concepts, IEnumerable<PatternEntry>? patterns = null, IEnumerable<CombinationRule>? combinations = null, DetectionModel? model = null)
    {
        Terms = [.. terms];
        Concepts = [.. concepts];
        Patterns = [.. patterns ?? []];
        Combinations = [.. combinations ?? []];
        Model = model;
    }

    /// <summary>Gets the patterns (regular expressions for what a word list cannot catch).</summary>
    public IReadOnlyList<PatternEntry> Patterns { get; }

    /// <summary>Gets the fixed terms; <see cref="LexiconEntry.Kind"/> is the category.</summary>
    public IReadOnlyList<LexiconEntry> Terms { get; }

    /// <summary>Gets the concept words; <see cref="LexiconEntry.Kind"/> is one of <see cref="ConceptClass.All"/>.</summary>
    public IReadOnlyList<LexiconEntry> Concepts { get; }

    /// <summary>Gets the combination rules.</summary>
    public IReadOnlyList<CombinationRule> Combinations { get; }

    /// <summary>Gets the trained model, or null (rules alone).</summary>
    public DetectionModel? Model { get; }

    /// <summary>The names of the files a lexicon is made of.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [TermsFile, ConceptsFile, CombinationsFile, PatternsFile, DetectionModel.FileName];

    /// <summary>Loads the lexicon shipped with this version.</summary>
    public static Lexicon LoadDefault() => Load(null);

    /// <summary>
    /// Loads the lexicon of <paramref name="directory"/>: each file from there if it holds it, else the shipped one (so a
    /// rules folder of an older version, without concepts or a model, keeps its terms and patterns).
    /// </summary>
    /// <exception cref="FormatException">A file is malformed or names an unknown category or class; the message names the file and line.</exception>
    public static Lexicon Load(string? directory)
    {
        string Read(string file) => directory is not null && File.Exists(Path.Combine(directory, file)) ? File.ReadAllText(Path.Combine(directory, file)) : DefaultText(file) ?? "";
        return FromTexts(FileNames.ToDictionary(f => f, Read, StringComparer.Ordinal));
    }

    /// <summary>Builds and checks a lexicon from the text of each file (a file left out is empty).</summary>
    /// <exception cref="FormatException">A file is malformed or names an unknown category or class; the message names the file and line.</exception>
    public static Lexicon FromTexts(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string Text(string file) => files.TryGetValue(file, out var text) ? text : "";
        var terms = Parse(new StringReader(Text(TermsFile)), TermsFile).ToList();
        var concepts = Parse(new StringReader(Text(ConceptsFile)), ConceptsFile).ToList();
        var patterns = ParsePatterns(new StringReader(Text(PatternsFile)), PatternsFile).ToList();
        var combinations = CombinationRule.Parse(new StringReader(Text(CombinationsFile)), CombinationsFile).ToList();
        var modelText = Text(DetectionModel.FileName);
        var model = modelText.Trim().Length == 0 ? null : DetectionModel.Parse(new StringReader(modelText), DetectionModel.FileName);

        if (terms.FirstOrDefault(t => !Category.TermFamilies.Contains(t.Kind)) is { } term)
        {
            throw new FormatException($"{TermsFile}: unknown category '{term.Kind}' for '{term.Term}' (one of {string.Join(", ", Category.TermFamilies)}).");
        }

        if (concepts.FirstOrDefault(c => ConceptClass.IndexOf(c.Kind) < 0) is { } concept)
        {
            throw new FormatException($"{ConceptsFile}: unknown class '{concept.Kind}' for '{concept.Term}' (one of {string.Join(", ", ConceptClass.All)}).");
        }

        if (patterns.FirstOrDefault(p => !Category.TermFamilies.Contains(p.Kind) && ConceptClass.IndexOf(p.Kind) < 0) is { } pattern)
        {
            throw new FormatException($"{PatternsFile}: unknown category or class '{pattern.Kind}' for '{pattern.Label}' (a category: {string.Join(", ", Category.TermFamilies)}; or a class: {string.Join(", ", ConceptClass.All)}).");
        }

        if (combinations.FirstOrDefault(c => !Category.WithRumour.Contains(c.Category)) is { } combination)
        {
            throw new FormatException($"{CombinationsFile}: unknown category '{combination.Category}' for '{combination.Name}' (one of {string.Join(", ", Category.WithRumour)}).");
        }

        if (combinations.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new FormatException($"{CombinationsFile}: the name '{twice.Key}' is used twice.");
        }

        if (model is not null && model.Classes.Skip(1).FirstOrDefault(c => !Category.WithRumour.Contains(c)) is { } modelClass)
        {
            throw new FormatException($"{DetectionModel.FileName}: unknown class '{modelClass}'.");
        }

        return new Lexicon(terms, concepts, patterns, combinations, model);
    }

    /// <summary>Returns the text of a shipped lexicon file, or null if this version ships none of that name.</summary>
    public static string? DefaultText(string file)
    {
        var assembly = typeof(Lexicon).Assembly;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + file, StringComparison.Ordinal));
        if (resource is null)
        {
            return null;
        }

        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    /// <summary>Parses TSV lines <c>kind, term, weight</c>; '#' starts a comment line.</summary>
    /// <exception cref="FormatException">A line does not have three columns or a weight in [0, 1].</exception>
    public static IEnumerable<LexiconEntry> Parse(TextReader reader, string name)
    {
        foreach (var (number, line) in RuleFileLines.Read(reader))
        {
            var columns = line.Split('\t');
            if (columns.Length != 3
                || !double.TryParse(columns[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || weight is < 0 or > 1)
            {
                throw new FormatException($"{name} line {number}: expected 'kind<TAB>term<TAB>weight' with a weight in [0, 1].");
            }

            var term = TextNormaliser.Normalise(columns[1].Trim()).Value;
            if (term.Length == 0)
            {
                throw new FormatException($"{name} line {number}: the term is empty once normalised.");
            }

            yield return new LexiconEntry(columns[0].Trim(), term, weight);
        }
    }

    /// <summary>Parses TSV lines <c>category or class, label, weight, regex</c>; '#' starts a comment line.</summary>
    /// <exception cref="FormatException">A line is malformed or its expression does not compile.</exception>
    public static IEnumerable<PatternEntry> ParsePatterns(TextReader reader, string name)
    {
        foreach (var (number, line) in RuleFileLines.Read(reader))
        {
            var columns = line.Split('\t', 4);
            if (columns.Length != 4 || !double.TryParse(columns[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || weight is < 0 or > 1)
            {
                throw new FormatException($"{name} line {number}: expected 'category<TAB>label<TAB>weight<TAB>regex' with a weight in [0, 1].");
            }

            // Non-backtracking: linear time whatever the pattern, so imported rules cannot stall detection (and no per-match
            // timeout, whose set-up cost dominated detection).
            System.Text.RegularExpressions.Regex regex;
            try
            {
                regex = new System.Text.RegularExpressions.Regex(columns[3], System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.NonBacktracking);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                // NotSupportedException: a construct the non-backtracking engine lacks (lookarounds, backreferences).
                throw new FormatException($"{name} line {number}: {ex.Message}", ex);
            }

            yield return new PatternEntry(columns[0].Trim(), columns[1].Trim(), weight, regex);
        }
    }
}
