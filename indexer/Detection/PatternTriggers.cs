using System.Buffers;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// The characters of which every match of a pattern must contain one, read from the pattern itself, so a pattern runs
/// only on a post that holds one of them: a scan's set-up costs more than most posts' text, and most patterns cannot
/// match most posts (拍(?:了|下)?卷子 needs a 拍; 第\s*[0-9]+题 needs a 第). The reading is conservative: for a construct
/// it does not understand (a character class with ranges, an escape, an optional part), it assumes nothing, and a
/// pattern it can say nothing of has no triggers and always runs.
/// </summary>
internal static class PatternTriggers
{
    // The commonest characters of Chinese text: a trigger among them would let the pattern run on nearly every post.
    // Exam text adds its own: 考, 试, 题, 答, 案, 卷.
    private const string Common = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间知世什两次使身者被高已亲其进此话常与活正感考试题答案卷";

    /// <summary>Returns the trigger characters of <paramref name="pattern"/>, or null if every post must be scanned.</summary>
    public static SearchValues<char>? Of(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var position = 0;
        var required = Alternation(pattern, ref position);
        return position == pattern.Length && required is { Count: > 0 } ? SearchValues.Create(string.Concat(required)) : null;
    }

    /// <summary>a|b|c: every alternative must require something; the union of their requirements.</summary>
    private static HashSet<char>? Alternation(string pattern, ref int position)
    {
        var union = new HashSet<char>();
        var known = true;
        while (true)
        {
            var sequence = Sequence(pattern, ref position);
            if (sequence is null)
            {
                known = false;
            }
            else
            {
                union.UnionWith(sequence);
            }

            if (position < pattern.Length && pattern[position] == '|')
            {
                position++;
                continue;
            }

            return known ? union : null;
        }
    }

    /// <summary>abc: each element that must occur is a candidate; the one least likely in ordinary text is kept.</summary>
    private static HashSet<char>? Sequence(string pattern, ref int position)
    {
        HashSet<char>? best = null;
        while (position < pattern.Length && pattern[position] is not ('|' or ')'))
        {
            var element = Atom(pattern, ref position);
            if (!Quantifier(pattern, ref position, out var optional))
            {
                // A quantifier the reading does not know (possessive, lazy forms are fine): give up on the pattern.
                position = pattern.Length + 1;
                return null;
            }

            if (element is { Count: > 0 } && !optional && (best is null || Rank(element) < Rank(best)))
            {
                best = element;
            }
        }

        return best;
    }

    private static int Rank(HashSet<char> set) => (set.Count(c => Common.Contains(c, StringComparison.Ordinal)) * 100) + set.Count;

    private static HashSet<char>? Atom(string pattern, ref int position)
    {
        var c = pattern[position];
        switch (c)
        {
            case '(':
                position++;
                if (position < pattern.Length && pattern[position] == '?')
                {
                    // Only (?: — lookarounds, named groups and inline options are not read.
                    if (position + 1 < pattern.Length && pattern[position + 1] == ':')
                    {
                        position += 2;
                    }
                    else
                    {
                        Skip(pattern, ref position);
                        return null;
                    }
                }

                var inner = Alternation(pattern, ref position);
                if (position < pattern.Length && pattern[position] == ')')
                {
                    position++;
                }

                return inner;
            case '[':
                return CharacterClass(pattern, ref position);
            case '\\':
                position += Math.Min(2, pattern.Length - position);
                return null;
            case '.' or '^' or '$':
                position++;
                return null;
            default:
                position++;
                return [c];
        }
    }

    /// <summary>[abc] with plain characters is a requirement (one of them); anything else ([^…], ranges, escapes) is not.</summary>
    private static HashSet<char>? CharacterClass(string pattern, ref int position)
    {
        var end = pattern.IndexOf(']', position + 1);
        if (end < 0)
        {
            position = pattern.Length;
            return null;
        }

        var body = pattern.AsSpan(position + 1, end - position - 1);
        position = end + 1;
        return body.Length == 0 || body[0] == '^' || body.ContainsAny('-', '\\', '[') ? null : [.. body];
    }

    /// <summary>Reads a quantifier after an atom; <paramref name="optional"/> when it allows zero.</summary>
    private static bool Quantifier(string pattern, ref int position, out bool optional)
    {
        optional = false;
        if (position >= pattern.Length)
        {
            return true;
        }

        switch (pattern[position])
        {
            case '?' or '*':
                optional = true;
                position++;
                break;
            case '+':
                position++;
                break;
            case '{':
                var close = pattern.IndexOf('}', position);
                if (close < 0)
                {
                    return false;
                }

                var body = pattern.AsSpan(position + 1, close - position - 1);
                var comma = body.IndexOf(',');
                var minimum = comma < 0 ? body : body[..comma];
                if (!int.TryParse(minimum, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var least))
                {
                    return false;
                }

                optional = least == 0;
                position = close + 1;
                break;
            default:
                return true;
        }

        // A lazy quantifier (+?, {1,3}?) has the same minimum.
        if (position < pattern.Length && pattern[position] == '?')
        {
            position++;
        }

        return true;
    }

    /// <summary>Skips to the end of a group the reading does not understand.</summary>
    private static void Skip(string pattern, ref int position)
    {
        var depth = 1;
        for (; position < pattern.Length && depth > 0; position++)
        {
            if (pattern[position] == '\\')
            {
                position++;
            }
            else if (pattern[position] == '(')
            {
                depth++;
            }
            else if (pattern[position] == ')')
            {
                depth--;
            }
        }
    }
}
