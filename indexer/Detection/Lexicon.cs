using System.Globalization;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>A lexicon entry: a term of a family, or a context cue, with its weight.</summary>
public sealed record LexiconEntry(string Kind, string Term, double Weight);

/// <summary>A pattern term: a regular expression of a family (e.g. "第12题选什么"), reported under its label.</summary>
public sealed record PatternEntry(string Kind, string Label, double Weight, System.Text.RegularExpressions.Regex Expression);

/// <summary>
/// The exam terms and context cues, loaded from versioned TSV files (<c>Lexicon/terms.tsv</c>,
/// <c>Lexicon/cues.tsv</c>; embedded in the assembly by default). Terms are normalised the same way posts are.
/// </summary>
public sealed class Lexicon
{
    public Lexicon(IEnumerable<LexiconEntry> terms, IEnumerable<LexiconEntry> cues, IEnumerable<PatternEntry>? patterns = null)
    {
        Terms = [.. terms];
        Cues = [.. cues];
        Patterns = [.. patterns ?? []];
    }

    /// <summary>Gets the pattern terms (regular expressions for what a word list cannot catch).</summary>
    public IReadOnlyList<PatternEntry> Patterns { get; }

    /// <summary>Gets the term entries; <see cref="LexiconEntry.Kind"/> is the category.</summary>
    public IReadOnlyList<LexiconEntry> Terms { get; }

    /// <summary>Gets the cue entries; <see cref="LexiconEntry.Kind"/> is intent, urgency, contact_hint or negative.</summary>
    public IReadOnlyList<LexiconEntry> Cues { get; }

    /// <summary>The names of the files a lexicon is made of.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["terms.tsv", "cues.tsv", "patterns.tsv"];

    /// <summary>Loads the lexicon shipped with this version.</summary>
    public static Lexicon LoadDefault()
    {
        return new Lexicon(
            [.. Parse(new StringReader(DefaultText("terms.tsv")), "terms.tsv")],
            [.. Parse(new StringReader(DefaultText("cues.tsv")), "cues.tsv")],
            [.. ParsePatterns(new StringReader(DefaultText("patterns.tsv")), "patterns.tsv")]);
    }

    /// <summary>Loads the lexicon of <paramref name="directory"/> if it holds one (all three files), else the shipped one.</summary>
    /// <exception cref="FormatException">A file is malformed; the message names the file and line.</exception>
    public static Lexicon Load(string? directory)
    {
        if (directory is null || !FileNames.All(f => File.Exists(Path.Combine(directory, f))))
        {
            return LoadDefault();
        }

        using var terms = new StreamReader(Path.Combine(directory, "terms.tsv"));
        using var cues = new StreamReader(Path.Combine(directory, "cues.tsv"));
        using var patterns = new StreamReader(Path.Combine(directory, "patterns.tsv"));
        return new Lexicon([.. Parse(terms, "terms.tsv")], [.. Parse(cues, "cues.tsv")], [.. ParsePatterns(patterns, "patterns.tsv")]);
    }

    /// <summary>Returns the text of a shipped lexicon file.</summary>
    public static string DefaultText(string file)
    {
        var assembly = typeof(Lexicon).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + file, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    /// <summary>Parses TSV lines <c>kind, term, weight</c>; '#' starts a comment line.</summary>
    /// <exception cref="FormatException">A line does not have three columns or a weight in [0, 1].</exception>
    public static IEnumerable<LexiconEntry> Parse(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 3
                || !double.TryParse(columns[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight)
                || weight is < 0 or > 1)
            {
                throw new FormatException($"{name} line {number}: expected 'kind<TAB>term<TAB>weight' with a weight in [0, 1].");
            }

            yield return new LexiconEntry(columns[0].Trim(), TextNormaliser.Normalise(columns[1].Trim()).Value, weight);
        }
    }

    /// <summary>Parses TSV lines <c>category, label, weight, regex</c>; '#' starts a comment line.</summary>
    /// <exception cref="FormatException">A line is malformed or its expression does not compile.</exception>
    public static IEnumerable<PatternEntry> ParsePatterns(TextReader reader, string name)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

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
            catch (ArgumentException ex)
            {
                throw new FormatException($"{name} line {number}: {ex.Message}", ex);
            }

            yield return new PatternEntry(columns[0].Trim(), columns[1].Trim(), weight, regex);
        }
    }
}
