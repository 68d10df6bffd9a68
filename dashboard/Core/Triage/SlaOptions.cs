using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Triage;

/// <summary>
/// How soon an alert must be taken up (acknowledged, escalated or closed), by severity, in minutes — shorter while an
/// exam paper is open, when a leak spreads in minutes. Configuration section <c>Sla</c>.
/// </summary>
public sealed record SlaOptions
{
    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:CriticalMinutes must be between {1} and {2} minutes.")]
    public int CriticalMinutes { get; init; } = 30;

    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:HighMinutes must be between {1} and {2} minutes.")]
    public int HighMinutes { get; init; } = 60;

    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:MediumMinutes must be between {1} and {2} minutes.")]
    public int MediumMinutes { get; init; } = 240;

    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:CriticalExamMinutes must be between {1} and {2} minutes.")]
    public int CriticalExamMinutes { get; init; } = 5;

    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:HighExamMinutes must be between {1} and {2} minutes.")]
    public int HighExamMinutes { get; init; } = 10;

    [System.ComponentModel.DataAnnotations.Range(1, 10_080, ErrorMessage = "Sla:MediumExamMinutes must be between {1} and {2} minutes.")]
    public int MediumExamMinutes { get; init; } = 30;

    /// <summary>
    /// Gets how many hours before a paper starts the exam deadlines already apply: the evening before the 中考 is when
    /// answers are offered and sold, so an alert then cannot wait as long as on an ordinary day (0: only while open).
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 168, ErrorMessage = "Sla:PreExamHours must be between {1} and {2} hours.")]
    public int PreExamHours { get; init; } = 24;

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
