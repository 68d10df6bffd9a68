using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace ExamNetWatch.Dashboard.Localization;

/// <summary>
/// The words of the UI. Simplified Chinese is the source language and the key: views write <c>@T["告警队列"]</c> and
/// staff who switched to English read the entry of <c>Localization/en.json</c>. A key without an English entry
/// shows in Chinese (a test keeps every key of every view translated).
/// </summary>
public sealed partial class UiText
{
    /// <summary>The cookie that keeps a user's language choice.</summary>
    public const string CookieName = "examnetwatch.lang";

    private static readonly Lazy<FrozenDictionary<string, string>> EnglishTable = new(LoadEnglish);

    /// <summary>The cultures the UI offers: Simplified Chinese (default) and English.</summary>
    public static IReadOnlyList<CultureInfo> Cultures { get; } = [new("zh-CN"), new("en")];

    /// <summary>Gets the English table (Chinese → English).</summary>
    public static IReadOnlyDictionary<string, string> English => EnglishTable.Value;

    /// <summary>
    /// Gets whether the current request reads English: only the dashboard's language switch sets the neutral culture
    /// <c>en</c>, so jobs, notifications and the command line stay in Chinese whatever the machine's locale (en-US…).
    /// </summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name == "en";

    /// <summary>Translates <paramref name="chinese"/> into the current UI language.</summary>
    public string this[string chinese] => Get(chinese);

    /// <summary>Translates a composite format (Chinese key, <c>{0}</c> placeholders) and fills it in.</summary>
    public string this[string chinese, params object?[] arguments] => Format(chinese, arguments);

    /// <summary>Switches the current UI language to Chinese until disposed: documents that go to the police or upward are Chinese whoever makes them.</summary>
    public static IDisposable InChinese() => new CultureScope(Cultures[0]);

    /// <summary>Translates <paramref name="chinese"/> into the current UI language.</summary>
    public static string Get(string chinese) =>
        IsEnglish && EnglishTable.Value.TryGetValue(chinese, out var english) ? english : chinese;

    /// <summary>
    /// Translates a composite format and fills it in with the invariant culture (dates and numbers are pre-formatted). An
    /// English entry says its plurals as <c>{0?alert|alerts}</c>: the first form when argument 0 is 1, the second otherwise
    /// (Chinese has none: "另有 1 条告警" and "(1 more alert)").
    /// </summary>
    public static string Format(string chinese, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var format = Get(chinese);
        if (format.Contains('?', StringComparison.Ordinal))
        {
            format = Plural().Replace(format, m =>
            {
                var index = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                var one = index < arguments.Length && Convert.ToString(arguments[index], CultureInfo.InvariantCulture) == "1";
                return one ? m.Groups[2].Value : m.Groups[3].Value;
            });
        }

        return string.Format(CultureInfo.InvariantCulture, format, arguments);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{(\d+)\?([^|{}]*)\|([^{}]*)\}")]
    private static partial System.Text.RegularExpressions.Regex Plural();

    /// <summary>Says a sentence of the core (<see cref="Messages.StaffText"/>) in the current UI language.</summary>
    public static string Of(Messages.StaffText text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Arguments.Count == 0 ? Get(text.Template) : Format(text.Template, [.. text.Arguments]);
    }

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _previous = CultureInfo.CurrentUICulture;

        public CultureScope(CultureInfo culture) => CultureInfo.CurrentUICulture = culture;

        public void Dispose() => CultureInfo.CurrentUICulture = _previous;
    }

    private static FrozenDictionary<string, string> LoadEnglish()
    {
        var assembly = typeof(UiText).Assembly;
        using var stream = assembly.GetManifestResourceStream("ExamNetWatch.Dashboard.Localization.en.json")
            ?? throw new InvalidOperationException("The English UI table is not embedded.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }
}
