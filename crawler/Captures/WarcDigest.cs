using System.Security.Cryptography;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>Labelled digests as WARC writes them: <c>sha256:</c> followed by the RFC 4648 base32 of the hash.</summary>
public static class WarcDigest
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>Returns <c>sha256:BASE32</c> of <paramref name="data"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => "sha256:" + Base32(SHA256.HashData(data));

    /// <summary>Encodes bytes as RFC 4648 base32, upper case, with padding.</summary>
    public static string Base32(ReadOnlySpan<byte> bytes)
    {
        var output = new System.Text.StringBuilder((bytes.Length + 4) / 5 * 8);
        for (var i = 0; i < bytes.Length; i += 5)
        {
            var chunk = bytes.Slice(i, Math.Min(5, bytes.Length - i));
            ulong buffer = 0;
            for (var j = 0; j < 5; j++)
            {
                buffer = (buffer << 8) | (j < chunk.Length ? chunk[j] : 0u);
            }

            var chars = (chunk.Length * 8 + 4) / 5;
            for (var j = 0; j < 8; j++)
            {
                output.Append(j < chars ? Alphabet[(int)((buffer >> (35 - (j * 5))) & 31)] : '=');
            }
        }

        return output.ToString();
    }
}
