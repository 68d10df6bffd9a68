namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Multi-pattern matcher (Aho–Corasick): finds every occurrence of every pattern in one pass over the text,
/// overlaps included. Built once per lexicon version and shared between threads (it is read-only once built).
/// </summary>
/// <remarks>
/// The trie is built with dictionaries, then flattened into arrays for matching: the root's transitions are a direct
/// table (most characters of a text start no pattern), every other state's are a short run of sorted characters in
/// one shared array (most states have one or two), and failure and output links are plain integer arrays.
/// </remarks>
/// <typeparam name="TValue">What each pattern stands for.</typeparam>
public sealed class AhoCorasick<TValue>
{
    private readonly int[] _root = new int[char.MaxValue + 1];

    // One bit per character that starts a pattern: 8 KB that stay in the cache, where the root table (256 KB) would be
    // read at a random place for nearly every character of a text that starts nothing.
    private readonly ulong[] _starts = new ulong[(char.MaxValue + 1) / 64];
    private readonly int[] _edgeStart;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _failure;
    private readonly int[] _output;
    private readonly string?[] _patterns;
    private readonly TValue?[] _values;

    /// <summary>Builds the automaton over <paramref name="patterns"/>; empty patterns are ignored.</summary>
    public AhoCorasick(IEnumerable<KeyValuePair<string, TValue>> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var nodes = new List<Node> { new() };
        foreach (var (pattern, value) in patterns)
        {
            if (pattern.Length > 0)
            {
                Add(nodes, pattern, value);
            }
        }

        LinkFailures(nodes);

        _edgeStart = new int[nodes.Count + 1];
        _failure = new int[nodes.Count];
        _output = new int[nodes.Count];
        _patterns = new string?[nodes.Count];
        _values = new TValue?[nodes.Count];
        var edgeCount = nodes.Sum(n => n.Next.Count);
        _edgeChars = new char[edgeCount];
        _edgeTargets = new int[edgeCount];
        var edge = 0;
        for (var state = 0; state < nodes.Count; state++)
        {
            var node = nodes[state];
            _edgeStart[state] = edge;
            foreach (var (c, target) in node.Next.OrderBy(e => e.Key))
            {
                _edgeChars[edge] = c;
                _edgeTargets[edge] = target;
                edge++;
            }

            _failure[state] = node.Failure;
            _output[state] = node.Output;
            _patterns[state] = node.Pattern;
            _values[state] = node.Value;
        }

        _edgeStart[nodes.Count] = edge;
        foreach (var (c, next) in nodes[0].Next)
        {
            _root[c] = next;
            _starts[c >> 6] |= 1UL << c;
        }
    }

    /// <summary>One occurrence: the range [Start, End) of the text, the pattern found and its value.</summary>
    public readonly record struct Match(int Start, int End, string Pattern, TValue Value);

    /// <summary>Returns every occurrence, ordered by end then by length descending.</summary>
    public List<Match> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<Match>();
        Collect(text, found);
        return found;
    }

    /// <summary>Adds every occurrence in <paramref name="text"/> to <paramref name="into"/>, ordered by end then by length descending.</summary>
    public void Collect(ReadOnlySpan<char> text, List<Match> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            while (true)
            {
                if (state == 0)
                {
                    state = (_starts[c >> 6] & (1UL << c)) == 0 ? 0 : _root[c];
                    break;
                }

                var next = Step(state, c);
                if (next != 0)
                {
                    state = next;
                    break;
                }

                state = _failure[state];
            }

            for (var s = state; s != 0; s = _output[s])
            {
                if (_patterns[s] is { } pattern)
                {
                    into.Add(new Match(i + 1 - pattern.Length, i + 1, pattern, _values[s]!));
                }
            }
        }
    }

    private int Step(int state, char c)
    {
        var start = _edgeStart[state];
        var end = _edgeStart[state + 1];
        if (end - start > 8)
        {
            // A state with many continuations (考 → 考前, 考试, 考场, 考研…): binary search of its sorted run.
            var at = _edgeChars.AsSpan(start, end - start).BinarySearch(c);
            return at >= 0 ? _edgeTargets[start + at] : 0;
        }

        for (var e = start; e < end; e++)
        {
            var edge = _edgeChars[e];
            if (edge == c)
            {
                return _edgeTargets[e];
            }

            if (edge > c)
            {
                break;
            }
        }

        return 0;
    }

    private static void Add(List<Node> nodes, string pattern, TValue value)
    {
        var state = 0;
        foreach (var c in pattern)
        {
            if (!nodes[state].Next.TryGetValue(c, out var next))
            {
                next = nodes.Count;
                nodes.Add(new Node());
                nodes[state].Next[c] = next;
            }

            state = next;
        }

        nodes[state].Pattern = pattern;
        nodes[state].Value = value;
    }

    private static void LinkFailures(List<Node> nodes)
    {
        var queue = new Queue<int>();
        foreach (var child in nodes[0].Next.Values)
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (c, child) in nodes[state].Next)
            {
                var failure = nodes[state].Failure;
                while (failure != 0 && !nodes[failure].Next.ContainsKey(c))
                {
                    failure = nodes[failure].Failure;
                }

                var target = nodes[failure].Next.GetValueOrDefault(c);
                nodes[child].Failure = target == child ? 0 : target;
                // Output link: the nearest state on the failure chain that ends a pattern.
                var f = nodes[child].Failure;
                nodes[child].Output = nodes[f].Pattern is not null ? f : nodes[f].Output;
                queue.Enqueue(child);
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<char, int> Next { get; } = [];

        public int Failure { get; set; }

        public int Output { get; set; }

        public string? Pattern { get; set; }

        public TValue? Value { get; set; }
    }
}
