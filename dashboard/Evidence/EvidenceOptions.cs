namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>
/// Evidence settings (configuration section <c>Evidence</c>): the Chromium that renders screenshots, an optional RFC 3161
/// TSA, and the unit and place the extraction record names (also the special-check report's default 报送单位).
/// </summary>
public sealed record EvidenceOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>Debian's Chromium.</summary>
    public const string DefaultChromium = "/usr/bin/chromium";

    public string ChromiumPath { get; init; } = DefaultChromium;

    /// <summary>Gets the unit that extracts the evidence and reports (提取单位 / 报送单位), e.g. 某市教育考试院; null: left blank to fill by hand.</summary>
    public string? Unit { get; init; }

    /// <summary>Gets where the extraction takes place (提取地点), e.g. 某市教育考试院 网络监测室; null: left blank to fill by hand.</summary>
    public string? Place { get; init; }

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

        foreach (var (name, value) in new[] { (nameof(Unit), Unit), (nameof(Place), Place) })
        {
            if (value is not null && (value.Length > 100 || value.Any(char.IsControl)))
            {
                yield return new($"Evidence:{name} must be one line of at most 100 characters (was {value.Length} characters).", [name]);
            }
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
