using System.Text.RegularExpressions;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Finds contact details: QQ numbers and groups, WeChat ids (微信, 威信, 薇, V, vx…), mobile and landline
/// numbers — also written in Chinese numerals (一五一七…, 壹叁玖…) — and URLs. Runs on normalised text, so full-width
/// digits and inserted symbols are already undone.
/// </summary>
public static partial class ContactExtractor
{
    /// <summary>Returns the distinct contacts in <paramref name="normalised"/> (and URLs in <paramref name="original"/>).</summary>
    public static IReadOnlyList<ContactInfo> Extract(string normalised, string original)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        ArgumentNullException.ThrowIfNull(original);
        var found = new List<ContactInfo>();
        // Every contact has digits or Latin letters (or numerals standing for digits); most posts have none.
        if (!MayHoldContact(normalised))
        {
            return found;
        }

        normalised = ChineseNumerals.DigitView(normalised);
        void Add(string kind, string value)
        {
            var contact = new ContactInfo(kind, value);
            if (!found.Contains(contact))
            {
                found.Add(contact);
            }
        }

        // Each pattern runs only where its cheapest necessary sign is present.
        var hasDigits = normalised.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        if (hasDigits && (normalised.Contains('q', StringComparison.Ordinal) || normalised.Contains('扣', StringComparison.Ordinal) || normalised.Contains("企鹅", StringComparison.Ordinal) || normalised.Contains("群号", StringComparison.Ordinal)))
        {
            foreach (var m in QqGroup().EnumerateMatches(normalised))
            {
                Add("qq_group", normalised.Substring(m.Index, m.Length));
            }

            foreach (var m in Qq().EnumerateMatches(normalised))
            {
                var id = normalised.Substring(m.Index, m.Length);
                if (!found.Contains(new ContactInfo("qq_group", id)))
                {
                    Add("qq", id);
                }
            }
        }

        if (normalised.AsSpan().ContainsAny(WeChatSigns))
        {
            foreach (var m in WeChat().EnumerateMatches(normalised))
            {
                Add("wechat", normalised.Substring(m.Index, m.Length));
            }
        }

        if (hasDigits)
        {
            foreach (var m in Mobile().EnumerateMatches(normalised))
            {
                Add("phone", normalised.Substring(m.Index, m.Length));
            }

            foreach (var m in Landline().EnumerateMatches(normalised))
            {
                Add("phone", normalised.Substring(m.Index, m.Length));
            }
        }

        if (original.Contains("http", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var m in Url().EnumerateMatches(original))
            {
                Add("url", original.Substring(m.Index, m.Length));
            }
        }

        return found;
    }

    // Every WeChat prefix below holds one of these (v, vx, wx, weixin, wechat, 微信…, 薇, 加威).
    private static readonly System.Buffers.SearchValues<char> WeChatSigns = System.Buffers.SearchValues.Create("vw信薇威");

    private static bool MayHoldContact(string text)
    {
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || ChineseNumerals.IsNumeral(c))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?<=(?:qq群|q群|扣群|群号)\s*(?:号|号码)?\s*)[1-9]\d{4,10}(?!\d)")]
    private static partial Regex QqGroup();

    [GeneratedRegex(@"(?<=(?<![a-z])(?:qq|扣|企鹅|q)\s*(?:号|号码)?\s*)[1-9]\d{4,10}(?!\d)")]
    private static partial Regex Qq();

    [GeneratedRegex(@"(?<=(?<![a-z])(?:微信|威信|薇信|徽信|危信|v信|vx|wx|weixin|wechat|加薇|薇|加v|加威|v)\s*(?:号|号码)?\s*)(?:[a-z][-_a-z0-9]{5,19}|1[3-9]\d{9})(?![a-z0-9])")]
    private static partial Regex WeChat();

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex Mobile();

    [GeneratedRegex(@"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")]
    private static partial Regex Landline();

    [GeneratedRegex(@"https?://[^\s<>""'，。、]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
