namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Multi-pattern matcher (Aho–Corasick): finds every occurrence of every pattern in one pass over the text,
/// overlaps included. Built once per lexicon version and shared between threads (it is read-only once built).
/// </summary>
/// <typeparam name="TValue">What each pattern stands for.</typeparam>
public sealed class AhoCorasick<TValue>
{
    private readonly List<Node> _nodes = [new Node()];

    // Most characters of a text start no pattern: the root's transitions are a direct table.
    private readonly int[] _root = new int[char.MaxValue + 1];

    /// <summary>Builds the automaton over <paramref name="patterns"/>; empty patterns are ignored.</summary>
    public AhoCorasick(IEnumerable<KeyValuePair<string, TValue>> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (var (pattern, value) in patterns)
        {
            if (pattern.Length > 0)
            {
                Add(pattern, value);
            }
        }

        LinkFailures();
        foreach (var (c, next) in _nodes[0].Next)
        {
            _root[c] = next;
        }
    }

    /// <summary>Returns every (start, end, pattern, value) occurrence, ordered by end then by length descending.</summary>
    public IEnumerable<(int Start, int End, string Pattern, TValue Value)> FindAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var state = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            while (true)
            {
                if (state == 0)
                {
                    state = _root[c];
                    break;
                }

                if (_nodes[state].Next.TryGetValue(c, out var next))
                {
                    state = next;
                    break;
                }

                state = _nodes[state].Failure;
            }
            for (var s = state; s != 0; s = _nodes[s].Output)
            {
                if (_nodes[s].Pattern is { } pattern)
                {
                    yield return (i + 1 - pattern.Length, i + 1, pattern, _nodes[s].Value!);
                }
            }
        }
    }

    private void Add(string pattern, TValue value)
    {
        var state = 0;
        foreach (var c in pattern)
        {
            if (!_nodes[state].Next.TryGetValue(c, out var next))
            {
                next = _nodes.Count;
                _nodes.Add(new Node());
                _nodes[state].Next[c] = next;
            }

            state = next;
        }

        _nodes[state].Pattern = pattern;
        _nodes[state].Value = value;
    }

    private void LinkFailures()
    {
        var queue = new Queue<int>();
        foreach (var child in _nodes[0].Next.Values)
        {
            queue.Enqueue(child);
        }

        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            foreach (var (c, child) in _nodes[state].Next)
            {
                var failure = _nodes[state].Failure;
                while (failure != 0 && !_nodes[failure].Next.ContainsKey(c))
                {
                    failure = _nodes[failure].Failure;
                }

                var target = _nodes[failure].Next.GetValueOrDefault(c);
                _nodes[child].Failure = target == child ? 0 : target;
                // Output link: the nearest state on the failure chain that ends a pattern.
                var f = _nodes[child].Failure;
                _nodes[child].Output = _nodes[f].Pattern is not null ? f : _nodes[f].Output;
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
