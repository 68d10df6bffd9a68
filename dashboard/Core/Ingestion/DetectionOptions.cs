using System.ComponentModel.DataAnnotations;

namespace ExamNetWatch.Dashboard.Ingestion;

/// <summary>What detection is told of the exam calendar. Configuration section <c>Detection</c>.</summary>
public sealed class DetectionOptions
{
    /// <summary>
    /// How many days before a paper of the exam calendar an offer counts as close to the exam: only then (or while a
    /// paper is open) can an alert be critical.
    /// </summary>
    /// <value>The default value is 7 days.</value>
    [Range(0, 60, ErrorMessage = "Detection:ExamNearDays must be between 0 and 60 days.")]
    public int ExamNearDays { get; set; } = 7;
}
