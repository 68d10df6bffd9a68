namespace ExamNetWatch.Indexer.Detection;

/// <summary>What detection knows of the moment: the subjects whose paper is open now (from the exam calendar).</summary>
public sealed record DetectionContext(IReadOnlyList<string> OpenSubjects)
{
    /// <summary>Gets the context outside any exam.</summary>
    public static DetectionContext None { get; } = new([]);
}
