namespace ExamNetWatch.Indexer.Detection;

/// <summary>The rule lines of a rules file (TSV): blank lines and '#' comments left out, each with its 1-based number.</summary>
internal static class RuleFileLines
{
    public static IEnumerable<(int Number, string Line)> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                yield return (number, line);
            }
        }
    }
}
