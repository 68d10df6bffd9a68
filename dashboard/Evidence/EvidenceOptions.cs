namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>Evidence settings (configuration section <c>Evidence</c>): the Chromium that renders screenshots and an optional RFC 3161 TSA.</summary>
public sealed record EvidenceOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Debian's Chromium.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    public string ChromiumPath { get; init; } = DefaultChromium;

    /// <summary>Gets the timestamp authority's URL; null: packages are not timestamped.</summary>
    public Uri? TsaUrl { get; init; }

    /// <summary>Gets the certificate files (PEM or DER) of the TSAs whose timestamps verification trusts.</summary>
    public IReadOnlyList<string> TrustedTsaCertificates { get; init; } = [];

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

        for (var i = 0; i < TrustedTsaCertificates.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(TrustedTsaCertificates[i]))
            {
                yield return new(FormattableString.Invariant($"Evidence:TrustedTsaCertificates:{i} is empty; give the path of a PEM or DER certificate."), [nameof(TrustedTsaCertificates)]);
            }
        }
    }
}
