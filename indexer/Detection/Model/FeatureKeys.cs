using System.Collections.Concurrent;
using System.Text;

namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>
/// Model features as 64-bit keys, so the hot loop over a post's characters builds no strings: character n-grams are
/// their characters packed (tag in the top two bits: 1 = one character, 2 = two); named features (concept
/// classes, rules, contacts…) are a 62-bit FNV-1a hash of their name, tag 0.
/// </summary>
internal static class FeatureKeys
{
    private const int TagShift = 62;
    private const ulong NameMask = (1UL << TagShift) - 1;
    private static readonly ConcurrentDictionary<ulong, string> Names = new();

    /// <summary>Returns the key of the named feature <paramref name="name"/> (e.g. <c>k:object</c>).</summary>
    public static ulong Named(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var key = hash & NameMask;
        Names.TryAdd(key, name);
        return key;
    }

    public static ulong Unigram(char a) => (1UL << TagShift) | a;

    public static ulong Bigram(char a, char b) => (2UL << TagShift) | ((ulong)a << 16) | b;

    /// <summary>Returns the file name of a feature: <c>g:答案</c> for an n-gram, the name for a named feature.</summary>
    public static string NameOf(ulong key)
    {
        var tag = (int)(key >> TagShift);
        if (tag == 0)
        {
            return Names.TryGetValue(key, out var name) ? name : throw new InvalidOperationException($"unknown feature key {key:x}");
        }

        var text = new StringBuilder("g:", 5);
        for (var i = tag - 1; i >= 0; i--)
        {
            text.Append((char)((key >> (16 * i)) & 0xFFFF));
        }

        return text.ToString();
    }

    /// <summary>Parses a feature name of the model file back to its key.</summary>
    /// <exception cref="FormatException">An n-gram of more than three characters, or an empty name.</exception>
    public static ulong Parse(string name)
    {
        if (name.StartsWith("g:", StringComparison.Ordinal))
        {
            return name.Length switch
            {
                3 => Unigram(name[2]),
                4 => Bigram(name[2], name[3]),
                _ => throw new FormatException($"n-gram feature '{name}' must have one or two characters"),
            };
        }

        return name.Length > 0 ? Named(name) : throw new FormatException("empty feature name");
    }

    /// <summary>Maps a character of normalised text to the alphabet of n-grams: Han and Latin letters as they are, every digit as 0, anything else breaks.</summary>
    public static char NgramChar(char c) => c switch
    {
        >= '0' and <= '9' => '0',
        >= 'a' and <= 'z' => c,
        _ when TextNormaliser.IsHan(c) => c,
        _ => '\0',
    };
}
