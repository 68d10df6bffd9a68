namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// What detection knows of the moment, from the exam calendar: the subjects whose paper is open now, and those whose
/// paper starts soon (how soon is the caller's setting). Only an offer close to or during an exam can be critical.
/// </summary>
public sealed record DetectionContext(IReadOnlyList<string> OpenSubjects, IReadOnlyList<string>? UpcomingSubjects = null)
{
    /// <summary>Gets the context outside any exam.</summary>
    public static DetectionContext None { get; } = new([]);

    /// <summary>Gets whether a paper is open now or starts soon.</summary>
    public bool ExamNear => OpenSubjects.Count > 0 || UpcomingSubjects is { Count: > 0 };
}
