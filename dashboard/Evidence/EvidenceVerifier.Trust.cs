using System.Text.Json;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>Who vouches for a package: the installation's signature, the TSA's token and the exporting installation's audit log.</summary>
public static partial class EvidenceVerifier
{
    private static void CheckSignature(EvidenceManifest manifest, byte[] manifestBytes, Dictionary<string, byte[]> entries, VerificationTrust trust, List<string> checkedItems, List<string> failures, List<string> notChecked)
    {
        if (!entries.TryGetValue(EvidenceFiles.Signature, out var bytes))
        {
            failures.Add($"{EvidenceFiles.Signature}: missing — the package is not signed by the installation that exported it, so anyone could have rebuilt it");
            return;
        }

        EvidenceSignature? signature;
        byte[] publicKey, value;
        try
        {
            signature = JsonSerializer.Deserialize<EvidenceSignature>(bytes, EvidenceManifest.Json);
            publicKey = Convert.FromBase64String(signature?.PublicKey ?? string.Empty);
            value = Convert.FromBase64String(signature?.Signature ?? string.Empty);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            failures.Add($"{EvidenceFiles.Signature}: not a signature ({e.Message})");
            return;
        }

        var fingerprint = EvidenceSigningKey.FingerprintOf(publicKey);
        if (signature is null || signature.Fingerprint != fingerprint || manifest.Signer != fingerprint)
        {
            failures.Add($"{EvidenceFiles.Signature}: its key {fingerprint} is not the one it names ({Printable(signature?.Fingerprint ?? "none")}) or the manifest names ({Printable(manifest.Signer ?? "none")})");
            return;
        }

        if (!EvidenceSigningKey.Verify(publicKey, manifestBytes, value))
        {
            failures.Add($"{EvidenceFiles.Signature}: the signature does not hold over {EvidenceFiles.Manifest} (the manifest was changed or re-signed)");
            return;
        }

        if (trust.TrustedKeys.Count == 0)
        {
            notChecked.Add($"{EvidenceFiles.Signature}: the signature holds under key {fingerprint}, but no trusted key was given: it proves who exported the package only if this is the fingerprint on the extraction record (--trusted-key)");
        }
        else if (!trust.TrustedKeys.Contains(fingerprint))
        {
            failures.Add($"{EvidenceFiles.Signature}: signed by key {fingerprint}, which is not a trusted key ({string.Join(", ", trust.TrustedKeys)})");
        }
        else
        {
            checkedItems.Add($"{EvidenceFiles.Signature}: ECDSA P-256 signature over {EvidenceFiles.Manifest} by trusted key {fingerprint}");
        }
    }

    private static void CheckAudit(EvidenceManifest manifest, string? packageHash, VerificationTrust trust, List<string> checkedItems, List<string> failures, List<string> notChecked)
    {
        if (trust.AuditedExports is null || trust.InstallationKey is null)
        {
            notChecked.Add("audit record: only the exporting installation can match the package to its audited export (verify with its --data-dir)");
        }
        else if (manifest.Signer != trust.InstallationKey)
        {
            notChecked.Add($"audit record: the package was not signed by this installation ({trust.InstallationKey}), so its audit log cannot speak for it");
        }
        else if (packageHash is not null && trust.AuditedExports.TryGetValue(packageHash, out var entry))
        {
            checkedItems.Add($"audit record: this installation's audit log records the export of this exact package (sha256 {packageHash}): {entry}");
        }
        else
        {
            failures.Add($"audit record: signed by this installation, but its audit log records no export with this package's SHA-256 ({packageHash})");
        }
    }

    private static bool IsTrusted(System.Security.Cryptography.X509Certificates.X509Certificate2? signer, IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> trusted)
    {
        if (signer is null)
        {
            return false;
        }

        if (trusted.Any(t => t.RawDataMemory.Span.SequenceEqual(signer.RawDataMemory.Span)))
        {
            return true;
        }

        // Or issued by a trusted TSA root: the chain must build to one of the given certificates and nothing else.
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted.ToArray());
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.8"));
        return chain.Build(signer);
    }
}
