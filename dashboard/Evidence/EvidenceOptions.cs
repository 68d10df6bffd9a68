namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>Evidence settings (configuration section <c>Evidence</c>): the Chromium that renders screenshots and an optional RFC 3161 TSA.</summary>
public sealed record EvidenceOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Debian's Chromium.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    public string ChromiumPath { get; init; } = DefaultChromium;

    /// <summary>Gets the timestamp authority's URL; null: packages are not timestamped.</summary>
    public Uri? TsaUrl { get; init; }

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ChromiumPath))
        {
            yield return new("Evidence:ChromiumPath is empty.", [nameof(ChromiumPath)]);
        }

        if (TsaUrl is { } tsa && (!tsa.IsAbsoluteUri || tsa.Scheme is not ("http" or "https")))
        {
            yield return new($"Evidence:TsaUrl must be an absolute http(s) URL (was '{tsa}').", [nameof(TsaUrl)]);
        }
    }

    /// <summary>Reads <c>Evidence__TsaUrl</c> and <c>Evidence__ChromiumPath</c> for the command line.</summary>
    public static EvidenceOptions FromEnvironment() => new()
    {
        ChromiumPath = Environment.GetEnvironmentVariable("Evidence__ChromiumPath") ?? DefaultChromium,
        TsaUrl = Uri.TryCreate(Environment.GetEnvironmentVariable("Evidence__TsaUrl"), UriKind.Absolute, out var url) ? url : null,
    };
}
