using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>
/// How soon an alert must be taken up (acknowledged, escalated or closed), by severity, in minutes — shorter while an
/// exam paper is open, when a leak spreads in minutes. Configuration section <c>Sla</c>.
/// </summary>
public sealed record SlaOptions
{
    public int CriticalMinutes { get; init; } = 30;

    public int HighMinutes { get; init; } = 60;

    public int MediumMinutes { get; init; } = 240;

    public int CriticalExamMinutes { get; init; } = 5;

    public int HighExamMinutes { get; init; } = 10;

    public int MediumExamMinutes { get; init; } = 30;

    /// <summary>Returns when an alert of <paramref name="severity"/> raised at <paramref name="createdUtc"/> is due.</summary>
    public DateTime DueAt(Severity severity, DateTime createdUtc, bool examInProgress)
    {
        var minutes = severity switch
        {
            Severity.Critical => examInProgress ? CriticalExamMinutes : CriticalMinutes,
            Severity.High => examInProgress ? HighExamMinutes : HighMinutes,
            _ => examInProgress ? MediumExamMinutes : MediumMinutes,
        };
        return createdUtc.AddMinutes(minutes);
    }
}
