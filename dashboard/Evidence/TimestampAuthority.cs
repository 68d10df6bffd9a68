using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>What a timestamp token says, or why it does not hold.</summary>
public sealed record TimestampCheck(bool Holds, DateTimeOffset? Time, string? Authority, string? Problem)
{
    /// <summary>Gets the certificate that signed the token, when its signature holds.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Signer { get; init; }
}

/// <summary>
/// RFC 3161 timestamps over a package's manifest: a request (SHA-256 imprint, a nonce, the TSA's certificate asked
/// for) posted to the configured TSA, the answer checked (status, imprint, nonce) by .NET's own RFC 3161 support,
/// and the token kept as DER. Verification re-checks the token's signature and that it covers exactly the manifest.
/// </summary>
public sealed class TimestampAuthority(HttpClient http, Uri url)
{
    /// <summary>Gets the TSA's address.</summary>
    public Uri Url => url;

    /// <summary>Gets a token over <paramref name="data"/> from the TSA.</summary>
    /// <exception cref="HttpRequestException">The TSA cannot be reached or answers with an error.</exception>
    /// <exception cref="CryptographicException">The answer is not a valid timestamp for this request.</exception>
    public async Task<byte[]> StampAsync(byte[] data, CancellationToken cancellationToken)
    {
        var request = Rfc3161TimestampRequest.CreateFromData(data, HashAlgorithmName.SHA256, requestedPolicyId: null, nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(url, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(cancellationToken), out _);
        return token.AsSignedCms().Encode();
    }

    /// <summary>Checks that <paramref name="token"/> is a validly signed RFC 3161 token over exactly <paramref name="data"/>.</summary>
    public static TimestampCheck Verify(byte[] token, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out _))
        {
            return new TimestampCheck(false, null, null, "not an RFC 3161 timestamp token");
        }

        try
        {
            return decoded.VerifySignatureForData(data, out var signer)
                ? new TimestampCheck(true, decoded.TokenInfo.Timestamp, signer?.Subject, null) { Signer = signer }
                : new TimestampCheck(false, decoded.TokenInfo.Timestamp, null, "the token does not cover this manifest, or its signature does not hold");
        }
        catch (CryptographicException e)
        {
            return new TimestampCheck(false, null, null, "the token's signature does not hold: " + e.Message);
        }
    }
}
