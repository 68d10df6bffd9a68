namespace ExamNetWatch.Indexer.Detection;

/// <summary>Digits written as Chinese numerals (一五一七…, 壹叁玖…, 幺 for 1) in phone and QQ numbers.</summary>
public static class ChineseNumerals
{
    private const int MinimumRun = 5;

    // The digit of every numeral character, '\0' elsewhere: numerals are looked up for every character of a post.
    private static readonly char[] Digits = BuildDigits();

    /// <summary>Returns the digit a numeral character stands for, or null.</summary>
    public static char? Digit(char c) => Digits[c] is var digit && digit != '\0' ? digit : null;

    /// <summary>Returns whether <paramref name="c"/> is a Chinese numeral.</summary>
    public static bool IsNumeral(char c) => Digits[c] != '\0';

    private static char[] BuildDigits()
    {
        var digits = new char[char.MaxValue + 1];
        for (var c = '\u0080'; c < char.MaxValue; c++)
        {
            digits[c] = DigitOf(c) ?? '\0';
        }

        return digits;
    }

    private static char? DigitOf(char c) => c switch
    {
        '零' or '〇' or '○' => '0',
        '一' or '壹' or '幺' => '1',
        '二' or '贰' or '两' => '2',
        '三' or '叁' => '3',
        '四' or '肆' => '4',
        '五' or '伍' => '5',
        '六' or '陆' => '6',
        '七' or '柒' => '7',
        '八' or '捌' => '8',
        '九' or '玖' => '9',
        _ => null,
    };

    /// <summary>
    /// Returns <paramref name="text"/> with numerals turned into ASCII digits inside runs of at least five digits or
    /// numerals (so 一 in ordinary words stays as it is); the result has the same length, so offsets carry over.
    /// </summary>
    public static string DigitView(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Most posts have a numeral (一 is everywhere) but no run of five: copy only when a run needs rewriting.
        char[]? chars = null;
        var runStart = -1;
        var runHasNumeral = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            var numeral = i < text.Length && IsNumeral(c);
            var inRun = numeral || char.IsAsciiDigit(c);
            if (inRun && runStart < 0)
            {
                runStart = i;
                runHasNumeral = false;
            }

            runHasNumeral |= numeral;
            if (!inRun && runStart >= 0)
            {
                if (i - runStart >= MinimumRun && runHasNumeral)
                {
                    chars ??= text.ToCharArray();
                    for (var j = runStart; j < i; j++)
                    {
                        chars[j] = Digit(chars[j]) ?? chars[j];
                    }
                }

                runStart = -1;
            }
        }

        if (chars is null)
        {
            return text;
        }

        return new string(chars);
    }
}
