namespace ExamNetWatch.Dashboard.Data;

/// <summary>A setting changed in the dashboard (JSON under a key), shared by every process on the database.</summary>
public sealed class SettingEntry
{
    public required string Key { get; set; }

    public required string Json { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTime UpdatedAtUtc { get; set; }
}
