using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Indexer.Fingerprints;

/// <summary>
/// Fingerprints that group reposts: an exact hash of the normalised text (so inserted symbols, spaces and
/// full-width forms do not make a repost look new), and a 64-bit SimHash over character 3-grams of it (each run of
/// Latin letters and digits counted as one symbol, so another contact or price does not matter), whose
/// Hamming distance is small (≤ 3 of 64 bits) for near-duplicates such as the same ad with another contact.
/// </summary>
public static partial class TextFingerprint
{
    private const int ShingleLength = 3;

    /// <summary>Returns the SHA-256 (hex) of the normalised text.</summary>
    public static string ContentHash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalised(text))));

    /// <summary>Returns the SimHash of the normalised text.</summary>
    public static long SimHash(string text)
    {
        // Reposts of one ad differ mostly in ids, numbers and prices: each Latin/digit run counts as one symbol.
        var normalised = AsciiRun().Replace(Normalised(text), "#");
        Span<int> weights = stackalloc int[64];
        var count = 0;
        for (var i = 0; i + ShingleLength <= normalised.Length || (i == 0 && normalised.Length > 0); i++)
        {
            var shingle = normalised.AsSpan(i, Math.Min(ShingleLength, normalised.Length - i));
            var hash = Fnv1a64(shingle);
            for (var bit = 0; bit < 64; bit++)
            {
                weights[bit] += ((hash >> bit) & 1) == 1 ? 1 : -1;
            }

            count++;
            if (normalised.Length < ShingleLength)
            {
                break;
            }
        }

        ulong result = 0;
        for (var bit = 0; bit < 64 && count > 0; bit++)
        {
            if (weights[bit] > 0)
            {
                result |= 1UL << bit;
            }
        }

        return unchecked((long)result);
    }

    /// <summary>Returns the number of differing bits of two SimHashes.</summary>
    public static int Distance(long a, long b) => BitOperations.PopCount(unchecked((ulong)(a ^ b)));

    private static string Normalised(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = TextNormaliser.Normalise(text).Value;
        return string.Concat(value.Where(c => !char.IsWhiteSpace(c)));
    }

    private static ulong Fnv1a64(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // FNV's low bits mix poorly for short keys; a final avalanche (from MurmurHash3) spreads them.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }

    [System.Text.RegularExpressions.GeneratedRegex("[a-z0-9_.@-]+")]
    private static partial System.Text.RegularExpressions.Regex AsciiRun();
}
