using System.Text.Json;
using JiebaNet.Segmenter;

namespace ExamNetWatch.Indexer.Segmentation;

/// <summary>
/// jieba's precise-mode segmentation (with HMM for unknown words) over jieba.NET's own dictionary, frequencies and
/// model, without its per-call allocations: the text is split into blocks as jieba does, each block's word graph
/// (every dictionary word starting at every position) is walked for the most probable route, and runs of single
/// characters that form no dictionary word go through the HMM (Viterbi over the B/M/E/S states). The output is
/// jieba.NET's word for word — the tests compare both on real text — but as (start, length) pairs into the input, so
/// the indexer pays for a string only when it keeps a word. Read-only after construction; safe to share.
/// </summary>
internal sealed partial class JiebaEngine
{
    private const double MinProbability = -3.14e100;
    private const int B = 0, M = 1, E = 2, S = 3;

    // jieba's start probabilities for B, M, E, S; the transitions and emissions come from its model files.
    private static readonly double[] Start = [-0.26268660809250016, MinProbability, MinProbability, -1.4652633398537678];

    // For each state, the states that may precede it, in the order jieba tries them (a later one wins a tie).
    private static readonly int[][] Previous = [[E, S], [M, B], [B, M], [S, E]];

    private readonly Dictionary<string, int> _words;
    private readonly HashSet<string> _prefixSet;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _frequency;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _prefixes;
    private readonly double _total;
    private readonly double _logTotal;
    private readonly double[][] _transition;
    private readonly double[][] _emission;

    private JiebaEngine(Dictionary<string, int> frequency, HashSet<string> prefixes, double total, double[][] transition, double[][] emission)
    {
        _words = frequency;
        _prefixSet = prefixes;
        _frequency = frequency.GetAlternateLookup<ReadOnlySpan<char>>();
        _prefixes = prefixes.GetAlternateLookup<ReadOnlySpan<char>>();
        _total = total;
        _logTotal = Math.Log(total);
        _transition = transition;
        _emission = emission;
    }

    /// <summary>
    /// Builds the engine over jieba's own dictionary as shipped: the words of <c>dict.txt</c> in
    /// <paramref name="resources"/> with their frequencies and total (read as jieba.NET reads them), and jieba's HMM
    /// model files. User words are added with <see cref="WithUserWords"/>, never to this one.
    /// </summary>
    public static JiebaEngine Load(string resources)
    {
        var frequency = new Dictionary<string, int>(400_000, StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        double total = 0;
        foreach (var line in File.ReadLines(Path.Combine(resources, "dict.txt")))
        {
            var columns = line.Split(' ');
            if (columns.Length < 2 || !int.TryParse(columns[1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var freq))
            {
                continue;
            }

            total += freq;
            if (freq > 0)
            {
                Add(frequency, prefixes, columns[0], freq);
            }
            else
            {
                frequency.Remove(columns[0]);
            }
        }

        return new JiebaEngine(frequency, prefixes, total, ReadTransitions(Path.Combine(resources, "prob_trans.json")), ReadEmissions(Path.Combine(resources, "prob_emit.json")));
    }

    /// <summary>Adds the words of <paramref name="text"/> as (start, length) to <paramref name="words"/>; they cover the text exactly.</summary>
    public void Cut(ReadOnlySpan<char> text, List<(int Start, int Length)> words)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (IsBlockChar(text[i]))
            {
                var end = i + 1;
                while (end < text.Length && IsBlockChar(text[end]))
                {
                    end++;
                }

                CutBlock(text[i..end], i, words);
                i = end;
            }
            else if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                words.Add((i, 2));
                i += 2;
            }
            else
            {
                // Outside blocks jieba gives every character (and each space) on its own.
                words.Add((i, 1));
                i++;
            }
        }
    }

    /// <summary>The characters jieba keeps together in a block: Han, ASCII letters and digits, and +#&amp;._%·-.</summary>
    private static bool IsBlockChar(char c) => c is (>= '\u4E00' and <= '\u9FD5') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '+' or '#' or '&' or '.' or '_' or '%' or '\u00B7' or '-';

    private static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FD5';

    private void CutBlock(ReadOnlySpan<char> block, int offset, List<(int Start, int Length)> words)
    {
        var n = block.Length;
        var rented = System.Buffers.ArrayPool<int>.Shared.Rent(n + 1);
        var rentedScore = System.Buffers.ArrayPool<double>.Shared.Rent(n + 1);
        try
        {
            var next = rented.AsSpan(0, n + 1);
            Route(block, next, rentedScore.AsSpan(0, n + 1));

            // Single characters in a row are held back: if together they are no dictionary word, the HMM may join them.
            var run = -1;
            for (var x = 0; x < n;)
            {
                var y = next[x];
                if (y - x == 1)
                {
                    run = run < 0 ? x : run;
                }
                else
                {
                    if (run >= 0)
                    {
                        Flush(block, run, x, offset, words);
                        run = -1;
                    }

                    words.Add((offset + x, y - x));
                }

                x = y;
            }

            if (run >= 0)
            {
                Flush(block, run, n, offset, words);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(rented);
            System.Buffers.ArrayPool<double>.Shared.Return(rentedScore);
        }
    }

    /// <summary>
    /// The most probable route from each position to the end: the word graph is walked from the end, each position
    /// trying every dictionary word that starts there (a single character always counts); on a tie the shorter word
    /// stays, as in jieba.NET. <paramref name="next"/>[k] is where the word starting at k ends.
    /// </summary>
    private void Route(ReadOnlySpan<char> block, Span<int> next, Span<double> score = default)
    {
        var n = block.Length;
        var rentedScore = score.Length > n ? null : System.Buffers.ArrayPool<double>.Shared.Rent(n + 1);
        if (rentedScore is not null)
        {
            score = rentedScore.AsSpan(0, n + 1);
        }

        score[n] = 0;
        for (var k = n - 1; k >= 0; k--)
        {
            var best = double.MinValue;
            var bestEnd = k;
            var any = false;
            for (var end = k + 1; end <= n && _prefixes.Contains(block[k..end]); end++)
            {
                if (_frequency.TryGetValue(block[k..end], out var freq))
                {
                    any = true;
                    var candidate = Math.Log(freq) - _logTotal + score[end];
                    if (best < candidate)
                    {
                        best = candidate;
                        bestEnd = end;
                    }
                }
            }

            if (!any)
            {
                // No word starts here: the character alone, with jieba's default frequency of 1.
                best = Math.Log(1) - _logTotal + score[k + 1];
                bestEnd = k + 1;
            }

            score[k] = best;
            next[k] = bestEnd;
        }

        if (rentedScore is not null)
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rentedScore);
        }
    }

    private void Flush(ReadOnlySpan<char> block, int from, int to, int offset, List<(int Start, int Length)> words)
    {
        var run = block[from..to];
        if (run.Length == 1 || _frequency.ContainsKey(run))
        {
            for (var i = from; i < to; i++)
            {
                words.Add((offset + i, 1));
            }

            return;
        }

        // jieba's final segmentation: Han stretches through the HMM; in between, ASCII numbers and words (with a
        // decimal part and a percent sign) are one word each and whatever lies between them another.
        var i2 = 0;
        while (i2 < run.Length)
        {
            if (IsHan(run[i2]))
            {
                var end = i2 + 1;
                while (end < run.Length && IsHan(run[end]))
                {
                    end++;
                }

                Viterbi(run[i2..end], offset + from + i2, words);
                i2 = end;
                continue;
            }

            var other = i2;
            while (other < run.Length && !IsHan(run[other]) && !char.IsAsciiLetterOrDigit(run[other]))
            {
                other++;
            }

            if (other > i2)
            {
                words.Add((offset + from + i2, other - i2));
                i2 = other;
                continue;
            }

            var token = i2;
            while (token < run.Length && char.IsAsciiLetterOrDigit(run[token]))
            {
                token++;
            }

            if (token + 1 < run.Length && run[token] == '.' && char.IsAsciiDigit(run[token + 1]))
            {
                token += 2;
                while (token < run.Length && char.IsAsciiDigit(run[token]))
                {
                    token++;
                }
            }

            if (token < run.Length && run[token] == '%')
            {
                token++;
            }

            words.Add((offset + from + i2, token - i2));
            i2 = token;
        }
    }

    /// <summary>The HMM over a run of Han characters: the most probable B/M/E/S labelling, cut after every E and S.</summary>
    private void Viterbi(ReadOnlySpan<char> han, int offset, List<(int Start, int Length)> words)
    {
        var n = han.Length;
        var back = new int[n * 4];
        Span<double> previous = stackalloc double[4];
        Span<double> current = stackalloc double[4];
        for (var s = 0; s < 4; s++)
        {
            previous[s] = Start[s] + _emission[s][han[0]];
        }

        for (var t = 1; t < n; t++)
        {
            for (var s = 0; s < 4; s++)
            {
                var emit = _emission[s][han[t]];
                var best = double.MinValue;
                var from = 0;
                foreach (var p in Previous[s])
                {
                    var candidate = previous[p] + _transition[p][s] + emit;
                    if (best <= candidate)
                    {
                        best = candidate;
                        from = p;
                    }
                }

                current[s] = best;
                back[(t * 4) + s] = from;
            }

            current.CopyTo(previous);
        }

        var state = previous[E] < previous[S] ? S : E;
        Span<int> labels = n <= 256 ? stackalloc int[n] : new int[n];
        for (var t = n - 1; t >= 0; t--)
        {
            labels[t] = state;
            state = back[(t * 4) + state];
        }

        int begin = 0, cut = 0;
        for (var t = 0; t < n; t++)
        {
            switch (labels[t])
            {
                case B:
                    begin = t;
                    break;
                case E:
                    words.Add((offset + begin, t + 1 - begin));
                    cut = t + 1;
                    break;
                case S:
                    words.Add((offset + t, 1));
                    cut = t + 1;
                    break;
            }
        }

        if (cut < n)
        {
            words.Add((offset + cut, n - cut));
        }
    }

    private static double[][] ReadTransitions(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var table = new double[4][];
        for (var from = 0; from < 4; from++)
        {
            table[from] = [MinProbability, MinProbability, MinProbability, MinProbability];
            if (json.RootElement.TryGetProperty(Name(from), out var row))
            {
                foreach (var cell in row.EnumerateObject())
                {
                    table[from][Index(cell.Name)] = cell.Value.GetDouble();
                }
            }
        }

        return table;
    }

    private static double[][] ReadEmissions(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var table = new double[4][];
        for (var state = 0; state < 4; state++)
        {
            table[state] = new double[char.MaxValue + 1];
            Array.Fill(table[state], MinProbability);
            if (json.RootElement.TryGetProperty(Name(state), out var row))
            {
                foreach (var cell in row.EnumerateObject())
                {
                    if (cell.Name.Length == 1)
                    {
                        table[state][cell.Name[0]] = cell.Value.GetDouble();
                    }
                }
            }
        }

        return table;
    }

    private static string Name(int state) => state switch { B => "B", M => "M", E => "E", _ => "S" };

    private static int Index(string name) => name switch { "B" => B, "M" => M, "E" => E, _ => S };
}
