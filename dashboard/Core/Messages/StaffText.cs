using System.Globalization;

namespace ExamNetWatch.Dashboard.Messages;

/// <summary>
/// A sentence for staff as the core says it: its Chinese template — the key of the hosts' translation table — and the
/// arguments to fill in (dates and numbers already formatted). The core decides what to tell; the host tells it in the
/// reader's language (<c>UiText.Of</c>). <see cref="ToString"/> is the Chinese sentence, for logs, records and
/// documents that are Chinese whoever reads them.
/// </summary>
public sealed class StaffText
{
    public StaffText(string template, params object?[] arguments)
    {
        ArgumentNullException.ThrowIfNull(template);
        Template = template;
        Arguments = arguments ?? [];
    }

    /// <summary>Gets the Chinese template, with <c>{0}</c>-style placeholders.</summary>
    public string Template { get; }

    /// <summary>Gets the values of the placeholders.</summary>
    public IReadOnlyList<object?> Arguments { get; }

    /// <summary>Returns the sentence in Chinese.</summary>
    public override string ToString() => Arguments.Count == 0 ? Template : string.Format(CultureInfo.InvariantCulture, Template, [.. Arguments]);
}
