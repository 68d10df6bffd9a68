namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Text prepared for matching, with a map from each of its characters back to the original text, so a match
/// found here can be reported as a UTF-16 slice of what the user gave.
/// </summary>
public sealed class NormalisedText
{
    private readonly int[] _starts;
    private readonly int[] _ends;

    internal NormalisedText(string original, string value, int[] starts, int[] ends)
    {
        Original = original;
        Value = value;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>Gets the text as given.</summary>
    public string Original { get; }

    /// <summary>Gets the normalised text.</summary>
    public string Value { get; }

    /// <summary>Maps the normalised range [<paramref name="start"/>, <paramref name="end"/>) to the original text.</summary>
    public (int Start, int End) ToOriginal(int start, int end)
    {
        // The offset arrays may be longer than the text (they are the normaliser's buffers): Value.Length bounds them.
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Value.Length);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        return (_starts[start], _ends[end - 1]);
    }

    /// <summary>Returns the first normalised index whose character comes from at or after <paramref name="originalIndex"/> (the length if none).</summary>
    public int FromOriginal(int originalIndex)
    {
        int low = 0, high = Value.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_starts[middle] < originalIndex)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
