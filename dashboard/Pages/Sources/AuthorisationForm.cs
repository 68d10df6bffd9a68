using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Sources;

namespace ExamNetWatch.Dashboard.Pages.Sources;

/// <summary>The fields of a written authorisation as the forms post them (dates in Beijing time; the last day is covered whole).</summary>
public sealed class AuthorisationForm
{
    public string? Basis { get; set; }

    public string? ApprovedBy { get; set; }

    public string? ScopeNote { get; set; }

    public string? ValidFrom { get; set; }

    public string? ValidUntil { get; set; }

    /// <summary>Reads the form as an authorisation registered by <paramref name="registeredBy"/>.</summary>
    /// <exception cref="FormatException">A date is not a date.</exception>
    public AuthorisationRegistration ToRegistration(string registeredBy) => new(
        Basis?.Trim() ?? string.Empty,
        ApprovedBy?.Trim() ?? string.Empty,
        ScopeNote?.Trim() ?? string.Empty,
        BeijingTime.ParseUtc(ValidFrom ?? string.Empty),
        BeijingTime.ParseUntilUtc(ValidUntil ?? string.Empty),
        registeredBy);
}
