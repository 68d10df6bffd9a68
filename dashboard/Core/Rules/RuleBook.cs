using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Rules;

/// <summary>
/// The detection rules in force and their files in the data directory. Detection always uses <see cref="Detector"/>,
/// which follows the files: an edit from the dashboard swaps it at once, an import from the command line within
/// <see cref="CheckInterval"/>. Rules are checked whole before anything is written, so a bad edit changes nothing.
/// </summary>
public sealed partial class RuleBook
{
    public const string TermsFile = Lexicon.TermsFile;
    public const string ConceptsFile = Lexicon.ConceptsFile;
    public const string CombinationsFile = Lexicon.CombinationsFile;
    public const string PatternsFile = Lexicon.PatternsFile;
    public const string ModelFile = ExamNetWatch.Indexer.Detection.Model.DetectionModel.FileName;

    /// <summary>Gets the files edited rule by rule (the model is only imported and exported whole).</summary>
    public static IReadOnlyList<string> EditableFiles { get; } = [TermsFile, ConceptsFile, CombinationsFile, PatternsFile];

    /// <summary>How often the files are checked for changes made by another process.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    private readonly DataDirectory _data;
    private readonly TimeProvider _time;
    private readonly ILogger<RuleBook> _logger;
    private readonly Lock _gate = new();
    private PostDetector _detector;
    private string _stamp;
    private DateTimeOffset _checkedAt;

    public RuleBook(DataDirectory data, TimeProvider time, ILogger<RuleBook> logger)
    {
        _data = data;
        _time = time;
        _logger = logger;
        _stamp = Stamp();
        _detector = new PostDetector(Lexicon.Load(data.LexiconPath));
        _checkedAt = time.GetUtcNow();
    }

    /// <summary>Gets the detector for the rules in force now.</summary>
    public PostDetector Detector
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now - _checkedAt >= CheckInterval)
                {
                    _checkedAt = now;
                    ReloadIfChanged();
                }

                return _detector;
            }
        }
    }

    /// <summary>Gets whether the rules in force were installed in the data directory (false: the shipped rules).</summary>
    public bool Installed => File.Exists(Path.Combine(_data.LexiconPath, TermsFile));

    /// <summary>Returns the text of a rules file in force (installed, else shipped).</summary>
    public string Text(string file)
    {
        RequireFileName(file);
        var installed = Path.Combine(_data.LexiconPath, file);
        return File.Exists(installed) ? File.ReadAllText(installed) : Lexicon.DefaultText(file) ?? string.Empty;
    }

    /// <summary>Returns the rule lines of a file (comments and blank lines left out).</summary>
    public IReadOnlyList<RuleLine> Lines(string file)
    {
        var lines = Text(file).Split('\n');
        var rules = new List<RuleLine>();
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r');
            if (raw.Length > 0 && !raw.StartsWith('#'))
            {
                rules.Add(new RuleLine(file, i + 1, raw));
            }
        }

        return rules;
    }

    /// <summary>Appends one rule to a file and installs the result.</summary>
    /// <exception cref="FormatException">The rule is malformed; the message says why and nothing changes.</exception>
    public RuleChange Add(string file, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        RequireFileName(file);
        if (columns.Any(c => string.IsNullOrWhiteSpace(c) || c.Contains('\t', StringComparison.Ordinal) || c.Contains('\n', StringComparison.Ordinal) || c.Contains('\r', StringComparison.Ordinal)))
        {
            throw new FormatException("每一栏都必须填写，且不能含制表符或换行。");
        }

        var line = string.Join('\t', columns.Select(c => c.Trim()));
        if (Lines(file).Any(l => l.Columns.Take(2).SequenceEqual(line.Split('\t').Take(2))))
        {
            throw new FormatException($"{file} 已有这条规则：{string.Join(" ", columns.Take(2))}");
        }

        var text = Text(file);
        return Install(new Dictionary<string, string> { [file] = text.EndsWith('\n') || text.Length == 0 ? text + line + "\n" : text + "\n" + line + "\n" });
    }

    /// <summary>Removes line <paramref name="number"/> of a file, if it still reads <paramref name="expected"/>, and installs the result.</summary>
    /// <exception cref="FormatException">The line changed since it was shown (someone else edited the rules).</exception>
    public RuleChange Remove(string file, int number, string expected)
    {
        RequireFileName(file);
        var lines = Text(file).Split('\n').ToList();
        if (number < 1 || number > lines.Count || lines[number - 1].TrimEnd('\r') != expected)
        {
            throw new FormatException("这条规则已被修改或删除，请刷新页面后再试。");
        }

        lines.RemoveAt(number - 1);
        return Install(new Dictionary<string, string> { [file] = string.Join('\n', lines) });
    }

    /// <summary>Checks the given files together with the others in force, then writes all three and switches detection to them.</summary>
    /// <exception cref="FormatException">A file is malformed or names an unknown kind; the message names the file and line, and nothing is written.</exception>
    public RuleChange Install(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var name in files.Keys)
        {
            RequireFileName(name);
        }

        lock (_gate)
        {
            var texts = Lexicon.FileNames.ToDictionary(f => f, f => files.TryGetValue(f, out var t) ? t.Replace("\r\n", "\n", StringComparison.Ordinal) : Text(f));
            var incoming = Parse(texts);
            var current = _detector.Lexicon;
            Directory.CreateDirectory(_data.LexiconPath);
            foreach (var (name, text) in texts)
            {
                var path = Path.Combine(_data.LexiconPath, name);
                var temporary = path + ".tmp";
                File.WriteAllText(temporary, text);
                File.Move(temporary, path, overwrite: true);
            }

            _detector = new PostDetector(incoming);
            _stamp = Stamp();
            _checkedAt = _time.GetUtcNow();
            return new RuleChange(
                incoming.Terms.Count,
                incoming.Concepts.Count,
                incoming.Combinations.Count,
                incoming.Patterns.Count,
                [.. Words(incoming).Except(Words(current))],
                [.. Words(current).Except(Words(incoming))]);
        }
    }

    /// <summary>The terms, concept words (class:word) and combination names of a lexicon, for the audit summary.</summary>
    private static IEnumerable<string> Words(Lexicon lexicon) =>
        lexicon.Terms.Select(t => t.Term)
            .Concat(lexicon.Concepts.Select(c => $"{c.Kind}:{c.Term}"))
            .Concat(lexicon.Combinations.Select(c => "combination:" + c.Name));

    /// <summary>Parses and checks a whole set of rules files.</summary>
    /// <exception cref="FormatException">A file is malformed or names an unknown kind.</exception>
    public static Lexicon Parse(IReadOnlyDictionary<string, string> texts) => Lexicon.FromTexts(texts);

    private void ReloadIfChanged()
    {
        var stamp = Stamp();
        if (stamp == _stamp)
        {
            return;
        }

        try
        {
            _detector = new PostDetector(Lexicon.Load(_data.LexiconPath));
            _stamp = stamp;
            Log.RulesReloaded(_logger, _data.LexiconPath);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            // Keep detecting with the rules that worked; say why the new ones were not taken.
            _stamp = stamp;
            Log.RulesNotReloaded(_logger, ex, _data.LexiconPath);
        }
    }

    private string Stamp() => string.Join(
        '|',
        Lexicon.FileNames.Select(f => new FileInfo(Path.Combine(_data.LexiconPath, f))).Select(f => f.Exists ? $"{f.LastWriteTimeUtc.Ticks}:{f.Length}" : "-"));

    private static void RequireFileName(string file)
    {
        if (!Lexicon.FileNames.Contains(file))
        {
            throw new ArgumentException($"'{file}' is not a rules file ({string.Join(", ", Lexicon.FileNames)}).", nameof(file));
        }
    }
}
