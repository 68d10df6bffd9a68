namespace ExamNetWatch.Indexer.Detection;

/// <summary>Digits written as Chinese numerals (一五一七…, 壹叁玖…, 幺 for 1) in phone and QQ numbers.</summary>
public static class ChineseNumerals
{
    private const int MinimumRun = 5;

    /// <summary>Returns the digit a numeral character stands for, or null.</summary>
    public static char? Digit(char c) => c switch
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

    /// <summary>Returns whether <paramref name="c"/> is a Chinese numeral.</summary>
    public static bool IsNumeral(char c) => Digit(c) is not null;

    /// <summary>
    /// Returns <paramref name="text"/> with numerals turned into ASCII digits inside runs of at least five digits or
    /// numerals (so 一 in ordinary words stays as it is); the result has the same length, so offsets carry over.
    /// </summary>
    public static string DigitView(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsNumeral))
        {
            return text;
        }

        var chars = text.ToCharArray();
        var runStart = -1;
        for (var i = 0; i <= chars.Length; i++)
        {
            var inRun = i < chars.Length && (char.IsAsciiDigit(chars[i]) || IsNumeral(chars[i]));
            if (inRun && runStart < 0)
            {
                runStart = i;
            }
            else if (!inRun && runStart >= 0)
            {
                if (i - runStart >= MinimumRun)
                {
                    for (var j = runStart; j < i; j++)
                    {
                        chars[j] = Digit(chars[j]) ?? chars[j];
                    }
                }

                runStart = -1;
            }
        }

        return new string(chars);
    }
}
