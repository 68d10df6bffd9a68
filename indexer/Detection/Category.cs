namespace ExamNetWatch.Indexer.Detection;

/// <summary>The term families detection knows; the strings are the stable names used in JSON and the index.</summary>
public static class Category
{
    public const string PaperLeak = "paper_leak";
    public const string Device = "device";
    public const string ProxyTaker = "proxy_taker";
    public const string InExamTransmission = "in_exam_transmission";
    public const string Contact = "contact";

    /// <summary>Gets every category a term can belong to.</summary>
    public static IReadOnlyList<string> TermFamilies { get; } = [PaperLeak, Device, ProxyTaker, InExamTransmission];
}
