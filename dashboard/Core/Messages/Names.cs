namespace ExamNetWatch.Dashboard.Messages;

/// <summary>
/// The names of the domain's codes in Chinese — severities and categories — as notifications, documents and the
/// translation table's keys say them; the host's labels translate them for the English UI.
/// </summary>
public static class Names
{
    /// <summary>Names a severity (0–4).</summary>
    public static string Severity(int severity) => (Indexer.Detection.Severity)severity switch
    {
        Indexer.Detection.Severity.Critical => "严重",
        Indexer.Detection.Severity.High => "高",
        Indexer.Detection.Severity.Medium => "中",
        Indexer.Detection.Severity.Low => "低",
        _ => "无",
    };

    /// <summary>Names a category code (paper_leak…), or returns an unknown one as it is.</summary>
    public static string Category(string category) => category switch
    {
        Indexer.Detection.Category.PaperLeak => "泄题/答案",
        Indexer.Detection.Category.Device => "作弊器材",
        Indexer.Detection.Category.ProxyTaker => "代考替考",
        Indexer.Detection.Category.InExamTransmission => "考中传题",
        Indexer.Detection.Category.LeakRumour => "泄题传言",
        Indexer.Detection.Category.Contact => "联系方式",
        _ => category,
    };

    /// <summary>Names the comma-separated categories of an alert, joined with 、.</summary>
    public static string Categories(string commaSeparated, Func<string, string>? name = null)
    {
        ArgumentNullException.ThrowIfNull(commaSeparated);
        return string.Join("、", commaSeparated.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(name ?? Category));
    }
}
