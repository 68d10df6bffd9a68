namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>Evidence settings (configuration section <c>Evidence</c>): the Chromium that renders screenshots and an optional RFC 3161 TSA.</summary>
public sealed record EvidenceOptions
{
    /// <summary>Debian's Chromium.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    public string ChromiumPath { get; init; } = DefaultChromium;

    /// <summary>Gets the timestamp authority's URL; null: packages are not timestamped.</summary>
    public Uri? TsaUrl { get; init; }

    /// <summary>Reads <c>Evidence__TsaUrl</c> and <c>Evidence__ChromiumPath</c> for the command line.</summary>
    public static EvidenceOptions FromEnvironment() => new()
    {
        ChromiumPath = Environment.GetEnvironmentVariable("Evidence__ChromiumPath") ?? DefaultChromium,
        TsaUrl = Uri.TryCreate(Environment.GetEnvironmentVariable("Evidence__TsaUrl"), UriKind.Absolute, out var url) ? url : null,
    };
}
