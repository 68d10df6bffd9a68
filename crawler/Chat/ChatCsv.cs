using System.Text;

namespace ExamNetWatch.Crawler.Chat;

/// <summary>
/// RFC 4180 CSV as Python's csv module writes it (the exporters are Python tools): commas, fields quoted when they
/// hold a comma, quote or line break, quotes doubled inside. Each record knows the line it starts on.
/// </summary>
public static class ChatCsv
{
    /// <summary>Reads the records of <paramref name="text"/> (line ends already \n).</summary>
    /// <exception cref="ChatImportException">A quoted field is not closed, or text follows a closing quote.</exception>
    public static IEnumerable<(int Line, IReadOnlyList<string> Fields)> Records(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var afterQuote = false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            quoted = false;
                            afterQuote = true;
                        }
                    }
                    else
                    {
                        line += c == '\n' ? 1 : 0;
                        field.Append(c);
                    }

                    continue;
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                }
                else if (c == '\n')
                {
                    line++;
                    i++;
                    break;
                }
                else if (afterQuote)
                {
                    throw new ChatImportException(line, "text after a closing quote in a CSV field");
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else
                {
                    field.Append(c);
                }
            }

            if (quoted)
            {
                throw new ChatImportException(start, "a quoted CSV field is never closed");
            }

            fields.Add(field.ToString());
            if (fields is not [""])
            {
                yield return (start, fields);
            }
        }
    }
}
