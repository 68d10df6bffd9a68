namespace ExamNetWatch.Dashboard.Retention;

/// <summary>Checks a cron setting as the host's scheduler (Hangfire) reads it: 5 fields, or 6 with seconds.</summary>
public static class CronSetting
{
    /// <summary>Returns what is wrong with <paramref name="cron"/>, or null if Hangfire can schedule it.</summary>
    public static string? Problem(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
        {
            return "it is empty";
        }

        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            _ = Cronos.CronExpression.Parse(cron, fields == 6 ? Cronos.CronFormat.IncludeSeconds : Cronos.CronFormat.Standard);
            return null;
        }
        catch (Cronos.CronFormatException e)
        {
            return e.Message;
        }
    }
}
