using System.Buffers;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Which patterns of a list can match a text, found in one pass over it: each pattern with triggers
/// (<see cref="PatternTriggers"/>) can only match where one of its trigger characters occurs, so the text is scanned once
/// for the union of the triggers instead of once per pattern — and a pattern runs only when the scan says so.
/// </summary>
internal sealed class PatternGate
{
    private const int MaxGated = 64;
    private readonly SearchValues<char>? _any;
    private readonly Dictionary<char, ulong> _patternsOf = [];
    private readonly ulong _always;

    public PatternGate(IReadOnlyList<PatternEntry> patterns)
    {
        for (var p = 0; p < patterns.Count; p++)
        {
            var triggers = patterns[p].Triggers;
            if (triggers is null || p >= MaxGated)
            {
                _always |= p < MaxGated ? 1UL << p : 0;
                continue;
            }

            for (var c = 0; c <= char.MaxValue; c++)
            {
                if (triggers.Contains((char)c))
                {
                    _patternsOf[(char)c] = _patternsOf.GetValueOrDefault((char)c) | (1UL << p);
                }
            }
        }

        _any = _patternsOf.Count == 0 ? null : SearchValues.Create(string.Concat(_patternsOf.Keys.Order()));
        Count = patterns.Count;
    }

    /// <summary>Gets the number of patterns.</summary>
    public int Count { get; }

    /// <summary>Returns the patterns that may match <paramref name="text"/>, as bits (patterns past the 64th always may).</summary>
    public ulong MayMatch(string text)
    {
        var found = _always;
        if (_any is null)
        {
            return found;
        }

        var rest = text.AsSpan();
        for (var at = rest.IndexOfAny(_any); at >= 0; at = rest.IndexOfAny(_any))
        {
            found |= _patternsOf[rest[at]];
            rest = rest[(at + 1)..];
        }

        return found;
    }

    /// <summary>Returns whether pattern <paramref name="index"/> may match, given the bits of <see cref="MayMatch"/>.</summary>
    public static bool Includes(ulong found, int index) => index >= MaxGated || (found & (1UL << index)) != 0;
}
