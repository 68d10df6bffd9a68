using System.Security.Cryptography;
using System.Text.Json;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary><c>signature.json</c>: the installation's signature over <c>manifest.json</c>, with the public key to check it.</summary>
public sealed record EvidenceSignature(string Algorithm, string Covers, string PublicKey, string Fingerprint, string Signature);

/// <summary>
/// The installation's own evidence signing key: ECDSA P-256, kept as PKCS#8 in <c>keys/evidence-signing.p8</c> under the
/// data directory (made at first use, readable by the owner only). Its fingerprint — SHA-256 of the public key — is
/// printed in every extraction record and written to the audit log with every export, so whoever receives a package
/// can tell it came from this installation and was not rebuilt by someone else.
/// </summary>
public sealed class EvidenceSigningKey : IDisposable
{
    public const string FileName = "evidence-signing.p8";
    public const string Algorithm = "ECDSA-P256-SHA256 (DER signature)";

    private static readonly object Gate = new();
    private readonly ECDsa _key;

    private EvidenceSigningKey(ECDsa key)
    {
        _key = key;
        PublicKey = key.ExportSubjectPublicKeyInfo();
        Fingerprint = FingerprintOf(PublicKey);
    }

    /// <summary>Gets the public key (SubjectPublicKeyInfo, DER).</summary>
    public byte[] PublicKey { get; }

    /// <summary>Gets the key's fingerprint: <c>sha256:</c> and the hex SHA-256 of <see cref="PublicKey"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>Loads the key in <paramref name="keysPath"/>, making it first if there is none.</summary>
    public static EvidenceSigningKey LoadOrCreate(string keysPath)
    {
        ArgumentNullException.ThrowIfNull(keysPath);
        lock (Gate)
        {
            Hosting.KeyFiles.ReadOrCreate(Path.Combine(keysPath, FileName), () =>
            {
                using var fresh = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                return fresh.ExportPkcs8PrivateKey();
            });
        }

        return TryLoad(keysPath)!;
    }

    /// <summary>Loads the key in <paramref name="keysPath"/>; null if this installation has none.</summary>
    public static EvidenceSigningKey? TryLoad(string keysPath)
    {
        ArgumentNullException.ThrowIfNull(keysPath);
        var path = Path.Combine(keysPath, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(File.ReadAllBytes(path), out _);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidOperationException($"{path} is not an ECDSA P-256 key in PKCS#8: {e.Message}", e);
        }

        return new EvidenceSigningKey(key);
    }

    /// <summary>Returns the fingerprint of a public key (SubjectPublicKeyInfo, DER).</summary>
    public static string FingerprintOf(byte[] publicKey) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(publicKey));

    /// <summary>Signs <paramref name="manifest"/> and returns the bytes of <c>signature.json</c>.</summary>
    public byte[] Sign(byte[] manifest) => JsonSerializer.SerializeToUtf8Bytes(
        new EvidenceSignature(Algorithm, EvidenceFiles.Manifest, Convert.ToBase64String(PublicKey), Fingerprint, Convert.ToBase64String(_key.SignData(manifest, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))),
        EvidenceManifest.Json);

    /// <summary>Returns whether <paramref name="signature"/> is a signature of <paramref name="data"/> under <paramref name="publicKey"/>.</summary>
    public static bool Verify(byte[] publicKey, byte[] data, byte[] signature)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(publicKey, out _);
            return key.KeySize == 256 && key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
