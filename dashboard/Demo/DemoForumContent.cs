using System.Reflection;

namespace ExamNetWatch.Dashboard.Demo;

/// <summary>A post of the demo forum, and whether it was written to be caught (<see cref="IsCheating"/>).</summary>
public sealed record DemoPost(int Id, int ThreadId, string Author, string Text, DateTimeOffset PostedAt, bool IsCheating);

/// <summary>A thread of the demo forum.</summary>
public sealed class DemoThread(int id, string title)
{
    private readonly List<DemoPost> _posts = [];

    public int Id { get; } = id;

    public string Title { get; } = title;

    public DateTimeOffset LastReplyAt { get; private set; }

    public IReadOnlyList<DemoPost> Posts => _posts;

    internal void Add(DemoPost post)
    {
        _posts.Add(post);
        LastReplyAt = post.PostedAt;
    }
}

/// <summary>
/// The demo forum's content: about 40 ordinary student posts and 10 cheating offers from <c>Seed/seed.tsv</c>,
/// then one post every ~20 s from <c>Seed/live.tsv</c>. Thread-safe.
/// </summary>
public sealed class DemoForumContent
{
    private readonly Lock _gate = new();
    private readonly List<DemoThread> _threads = [];
    private readonly Dictionary<string, DemoThread> _byKey = new(StringComparer.Ordinal);
    private readonly List<Line> _live;
    private int _nextThreadId = 101;
    private int _nextPostId = 1001;
    private int _nextLive;

    public DemoForumContent(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var seed = Read("seed.tsv");
        _live = Read("live.tsv");
        // Seed posts are spread over the last two days, oldest first.
        var start = time.GetUtcNow().AddDays(-2);
        var step = TimeSpan.FromDays(2) / Math.Max(1, seed.Count);
        for (var i = 0; i < seed.Count; i++)
        {
            Publish(seed[i], start + (step * i));
        }

        SeedCount = seed.Count;
    }

    /// <summary>Gets the number of seeded posts (the first <see cref="SeedCount"/> post ids).</summary>
    public int SeedCount { get; }

    /// <summary>Gets a snapshot of the threads, most recently answered first.</summary>
    public IReadOnlyList<DemoThread> Threads
    {
        get
        {
            lock (_gate)
            {
                return [.. _threads.OrderByDescending(t => t.LastReplyAt).ThenByDescending(t => t.Id)];
            }
        }
    }

    /// <summary>Gets every post published so far.</summary>
    public IReadOnlyList<DemoPost> AllPosts
    {
        get
        {
            lock (_gate)
            {
                return [.. _threads.SelectMany(t => t.Posts).OrderBy(p => p.Id)];
            }
        }
    }

    /// <summary>Finds a thread.</summary>
    public DemoThread? Thread(int id)
    {
        lock (_gate)
        {
            return _threads.Find(t => t.Id == id);
        }
    }

    /// <summary>Returns the posts of a thread (a snapshot).</summary>
    public IReadOnlyList<DemoPost> PostsOf(DemoThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        lock (_gate)
        {
            return [.. thread.Posts];
        }
    }

    /// <summary>Publishes the next scripted live post.</summary>
    public DemoPost PublishNextLive(DateTimeOffset now)
    {
        lock (_gate)
        {
            var line = _live[_nextLive++ % _live.Count];
            return Publish(line, now);
        }
    }

    // Callers hold _gate (or are the constructor).
    private DemoPost Publish(Line line, DateTimeOffset at)
    {
        if (line.Thread == "new" || !_byKey.TryGetValue(line.Thread, out var thread))
        {
            thread = new DemoThread(_nextThreadId++, line.Title);
            _threads.Add(thread);
            if (line.Thread != "new")
            {
                _byKey[line.Thread] = thread;
            }
        }

        var post = new DemoPost(_nextPostId++, thread.Id, line.Author, line.Text, at, line.IsCheating);
        thread.Add(post);
        return post;
    }

    private static List<Line> Read(string file)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Seed." + file, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
        var lines = new List<Line>();
        while (reader.ReadLine() is { } text)
        {
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var c = text.Split('\t');
            if (c.Length != 5)
            {
                throw new FormatException($"{file}: expected 5 tab-separated columns in '{text}'.");
            }

            lines.Add(new Line(c[0] == "cheat", c[1], c[2], c[3].Trim(), c[4].Replace("\\n", "\n", StringComparison.Ordinal)));
        }

        return lines;
    }

    private sealed record Line(bool IsCheating, string Thread, string Author, string Title, string Text);
}
