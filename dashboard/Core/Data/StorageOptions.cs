using System.ComponentModel.DataAnnotations;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>Where the store lives.</summary>
public enum StorageProvider
{
    /// <summary>The SQLite file of the data directory: the embedded default, no set-up.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: the production profile, shared by any number of web and worker processes.</summary>
    PostgreSql,
}

/// <summary>
/// The store's settings (configuration section <c>Storage</c>): <c>Storage:Provider</c> <c>Sqlite</c> (default) or
/// <c>PostgreSql</c> with <c>Storage:ConnectionString</c>, e.g. <c>Host=db;Database=examnetwatch;Username=enw</c>, the
/// password in <c>Storage__ConnectionString</c>'s <c>Password=</c> or in the file named by <c>Passfile=</c>. The
/// connection string is a secret: it is never logged, and messages about it never repeat it.
/// </summary>
public sealed record StorageOptions : IValidatableObject
{
    public StorageProvider Provider { get; init; } = StorageProvider.Sqlite;

    /// <summary>Gets the PostgreSQL connection string; unused with SQLite (the data directory holds the file).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Gets a file holding the PostgreSQL password (a mounted secret), added to <see cref="ConnectionString"/>.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>
    /// Gets the folder of the WARC captures when it is not the data directory's own: in the production profile a volume
    /// every worker writes to and every web process reads from (evidence, the capture view), retention compacts.
    /// </summary>
    public string? CapturesPath { get; init; }

    /// <summary>
    /// Gets the folder of the installation's shared keys (data protection, evidence signing) when it is not the data
    /// directory's: a volume every web and worker process mounts.
    /// </summary>
    public string? KeysPath { get; init; }

    /// <summary>
    /// Gets a PKCS#12 file (.pfx, RSA key) whose certificate encrypts the data-protection key ring at rest (XML
    /// encryption): the keys that guard sign-in cookies and the notification secrets are then never on disk in clear.
    /// Without it they are files readable by their owner only. Keep the certificate (and a copy of it) as long as the
    /// keys: without it no process can read them.
    /// </summary>
    public string? KeysCertificatePath { get; init; }

    /// <summary>Gets a file holding the password of <see cref="KeysCertificatePath"/> (a mounted secret).</summary>
    public string? KeysCertificatePasswordFile { get; init; }

    /// <summary>Loads <see cref="KeysCertificatePath"/>; null if none is named. Why it cannot be used is what <see cref="Validate"/> says.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TryLoadKeysCertificate()
    {
        try
        {
            return KeysCertificatePath is null ? null : LoadKeysCertificate();
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 LoadKeysCertificate() =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
            KeysCertificatePath!,
            KeysCertificatePasswordFile is null ? null : File.ReadAllText(KeysCertificatePasswordFile).TrimEnd('\r', '\n'),
            System.Security.Cryptography.X509Certificates.X509KeyStorageFlags.EphemeralKeySet);

    /// <summary>Returns the connection string with the password from <see cref="PasswordFile"/>, if one is named.</summary>
    public string? EffectiveConnectionString()
    {
        if (PasswordFile is null || ConnectionString is null)
        {
            return ConnectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = File.ReadAllText(PasswordFile).Trim() }.ConnectionString;
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return new($"Storage:Provider must be Sqlite or PostgreSql (was {(int)Provider}).", [nameof(Provider)]);
            yield break;
        }

        if (KeysCertificatePasswordFile is not null && KeysCertificatePath is null)
        {
            yield return new("Storage:KeysCertificatePasswordFile is set without Storage:KeysCertificatePath.", [nameof(KeysCertificatePasswordFile)]);
        }

        if (KeysCertificatePath is not null && KeysCertificateProblem() is { } certificateProblem)
        {
            yield return new($"Storage:KeysCertificatePath: {certificateProblem}", [nameof(KeysCertificatePath)]);
        }

        if (Provider != StorageProvider.PostgreSql)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new("Storage:ConnectionString is required with Storage:Provider=PostgreSql (e.g. Host=db;Database=examnetwatch;Username=enw;Password=…).", [nameof(ConnectionString)]);
            yield break;
        }

        string? problem = null;
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(parsed.Host))
            {
                problem = "it names no Host";
            }
            else if (string.IsNullOrWhiteSpace(parsed.Database))
            {
                problem = "it names no Database";
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The parser's message names the keyword, never the value.
            problem = e.Message;
        }

        if (problem is not null)
        {
            yield return new($"Storage:ConnectionString is not a usable PostgreSQL connection string: {problem}.", [nameof(ConnectionString)]);
        }

        if (PasswordFile is not null && !File.Exists(PasswordFile))
        {
            yield return new($"Storage:PasswordFile: the file {PasswordFile} does not exist or cannot be read.", [nameof(PasswordFile)]);
        }

    }

    private string? KeysCertificateProblem()
    {
        if (!File.Exists(KeysCertificatePath))
        {
            return $"the file {KeysCertificatePath} does not exist or cannot be read.";
        }

        if (KeysCertificatePasswordFile is not null && !File.Exists(KeysCertificatePasswordFile))
        {
            return $"its password file {KeysCertificatePasswordFile} (Storage:KeysCertificatePasswordFile) does not exist or cannot be read.";
        }

        try
        {
            using var certificate = LoadKeysCertificate();
            using var key = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(certificate);
            return key is null ? $"{KeysCertificatePath} holds no RSA private key (the key ring is encrypted to an RSA certificate)." : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The library's message may name the file's internals; the setting and the two likely causes are enough.
            return $"{KeysCertificatePath} is not a PKCS#12 (.pfx) file that opens with the password of Storage:KeysCertificatePasswordFile.";
        }
    }
}
