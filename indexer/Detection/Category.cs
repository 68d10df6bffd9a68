namespace ExamNetWatch.Indexer.Detection;

/// <summary>The term families detection knows; the strings are the stable names used in JSON and the index.</summary>
public static class Category
{
    public const string PaperLeak = "paper_leak";
    public const string Device = "device";
    public const string ProxyTaker = "proxy_taker";
    public const string InExamTransmission = "in_exam_transmission";

    /// <summary>Posts spreading a claim that a paper leaked (网传泄题): a watch item below an alert, not an offer.</summary>
    public const string LeakRumour = "leak_rumour";
    public const string Contact = "contact";

    /// <summary>Gets every category a term can belong to (the alert categories).</summary>
    public static IReadOnlyList<string> TermFamilies { get; } = [PaperLeak, Device, ProxyTaker, InExamTransmission];

    /// <summary>Gets the alert categories and the watch category <see cref="LeakRumour"/>: every category a verdict can name.</summary>
    public static IReadOnlyList<string> WithRumour { get; } = [PaperLeak, Device, ProxyTaker, InExamTransmission, LeakRumour];

    /// <summary>Returns the index of <paramref name="category"/> in <see cref="WithRumour"/> (the alert categories come first, as in <see cref="TermFamilies"/>), or -1.</summary>
    public static int IndexOf(string category)
    {
        for (var i = 0; i < WithRumour.Count; i++)
        {
            if (WithRumour[i] == category)
            {
                return i;
            }
        }

        return -1;
    }
}
