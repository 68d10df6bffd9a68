using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography.X509Certificates;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>Which search index a process uses.</summary>
public enum IndexProvider
{
    /// <summary>The embedded Lucene.NET index of the data directory.</summary>
    Lucene,

    /// <summary>An Elasticsearch 9 cluster (the production profile).</summary>
    Elasticsearch,
}

/// <summary>
/// The search index's settings (configuration section <c>Index</c>): <c>Index:Provider</c> (default: Elasticsearch when
/// <c>Index:ElasticsearchUrl</c> is set, else Lucene); for Elasticsearch with security on, an API key or a user and
/// password (each directly or from a file, e.g. a mounted secret), and TLS trust as a CA certificate file or the
/// certificate's SHA-256 fingerprint; the alias the posts live under. Secrets are never logged: this class has no
/// printable form and messages about a secret never repeat it.
/// </summary>
public sealed class IndexOptions : IValidatableObject
{
    public IndexProvider? Provider { get; set; }

    public Uri? ElasticsearchUrl { get; set; }

    /// <summary>Gets or sets an API key (the encoded form Elasticsearch prints).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets a file holding the API key.</summary>
    public string? ApiKeyFile { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Gets or sets a file holding the password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Gets or sets the CA certificate (PEM or DER) the cluster's certificate must chain to.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Gets or sets the SHA-256 fingerprint of the cluster's (or its CA's) certificate, hex with or without colons.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>Gets or sets the alias the posts live under; versioned indexes are named after it.</summary>
    public string Alias { get; set; } = ElasticsearchPostIndex.DefaultAlias;

    /// <summary>Gets the provider in force.</summary>
    public IndexProvider EffectiveProvider => Provider ?? (ElasticsearchUrl is null ? IndexProvider.Lucene : IndexProvider.Elasticsearch);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider is { } provider && !Enum.IsDefined(provider))
        {
            yield return new("Index:Provider must be Lucene or Elasticsearch.", [nameof(Provider)]);
            yield break;
        }

        if (EffectiveProvider != IndexProvider.Elasticsearch)
        {
            yield break;
        }

        if (ElasticsearchUrl is not { IsAbsoluteUri: true } url || url.Scheme is not ("http" or "https"))
        {
            yield return new("Index:ElasticsearchUrl must be an http(s) URL such as https://es.internal:9200 with Index:Provider=Elasticsearch.", [nameof(ElasticsearchUrl)]);
        }

        var apiKey = ApiKey is not null || ApiKeyFile is not null;
        var basic = Username is not null || Password is not null || PasswordFile is not null;
        if (apiKey && basic)
        {
            yield return new("Index: give either an API key (Index:ApiKey or Index:ApiKeyFile) or a user and password, not both.", [nameof(ApiKey)]);
        }

        if (ApiKey is not null && ApiKeyFile is not null)
        {
            yield return new("Index:ApiKey and Index:ApiKeyFile are both set; keep one.", [nameof(ApiKeyFile)]);
        }

        if (Password is not null && PasswordFile is not null)
        {
            yield return new("Index:Password and Index:PasswordFile are both set; keep one.", [nameof(PasswordFile)]);
        }

        if (basic && string.IsNullOrWhiteSpace(Username))
        {
            yield return new("Index:Username is required with Index:Password or Index:PasswordFile.", [nameof(Username)]);
        }

        foreach (var (file, setting) in new[] { (ApiKeyFile, "Index:ApiKeyFile"), (PasswordFile, "Index:PasswordFile"), (CaCertificatePath, "Index:CaCertificatePath") })
        {
            if (file is not null && !File.Exists(file))
            {
                yield return new($"{setting}: the file {file} does not exist or cannot be read.", [setting]);
            }
        }

        if (CertificateFingerprint is not null && NormalisedFingerprint(CertificateFingerprint) is null)
        {
            yield return new("Index:CertificateFingerprint must be a SHA-256 fingerprint: 64 hex digits, colons allowed.", [nameof(CertificateFingerprint)]);
        }

        if (CaCertificatePath is not null && CertificateFingerprint is not null)
        {
            yield return new("Index:CaCertificatePath and Index:CertificateFingerprint are both set; trust the cluster one way.", [nameof(CertificateFingerprint)]);
        }

        if (string.IsNullOrEmpty(Alias) || Alias.Length > 200 || !Alias.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_') || Alias[0] is '-' or '_')
        {
            yield return new("Index:Alias must be lower-case letters, digits, - and _, not starting with - or _ (an Elasticsearch index name).", [nameof(Alias)]);
        }
    }

    /// <summary>Builds the client settings: the URL, the credentials and the TLS trust configured.</summary>
    public ElasticsearchClientSettings ClientSettings()
    {
        var settings = new ElasticsearchClientSettings(ElasticsearchUrl ?? throw new InvalidOperationException("Index:ElasticsearchUrl is not set"))
            .RequestTimeout(TimeSpan.FromSeconds(30));
        if ((ApiKey ?? ReadSecret(ApiKeyFile)) is { } key)
        {
            settings = settings.Authentication(new ApiKey(key));
        }
        else if (Username is not null)
        {
            settings = settings.Authentication(new BasicAuthentication(Username, Password ?? ReadSecret(PasswordFile) ?? string.Empty));
        }

        if (CertificateFingerprint is not null)
        {
            settings = settings.CertificateFingerprint(NormalisedFingerprint(CertificateFingerprint)!);
        }
        else if (CaCertificatePath is not null)
        {
            var bytes = File.ReadAllBytes(CaCertificatePath);
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            var ca = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
            settings = settings.ServerCertificateValidationCallback(CertificateValidations.AuthorityIsRoot(ca));
        }

        return settings;
    }

    /// <summary>The fingerprint as lower-case hex without separators, or null if it is not a SHA-256 one.</summary>
    internal static string? NormalisedFingerprint(string value)
    {
        var hex = value.Replace(":", string.Empty, StringComparison.Ordinal).Trim().ToLowerInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : null;
    }

    private static string? ReadSecret(string? file) => file is null ? null : File.ReadAllText(file).Trim();
}
