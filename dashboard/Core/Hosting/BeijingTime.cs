using System.Globalization;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>Dates and times as staff type them: Beijing time unless an offset is given.</summary>
public static class BeijingTime
{
    /// <summary>Beijing's offset from UTC (no daylight saving).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Formats a UTC time as Beijing time (<c>2026-06-20 09:00:00</c>), which is what staff read.</summary>
    public static string Format(DateTime utc) =>
        new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(Offset).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Returns the Beijing day of a UTC time.</summary>
    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc + Offset);

    /// <summary>Returns today's date in Beijing.</summary>
    public static DateOnly Today(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return DayOf(time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Returns the UTC instant a Beijing day begins (of kind UTC, as PostgreSQL's timestamptz requires).</summary>
    public static DateTime StartUtc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - Offset;

    /// <summary>The first year a date may name: earlier dates (0001-01-01) are typing errors, and near the ends of the
    /// calendar the offset arithmetic would overflow.</summary>
    public const int FirstYear = 1970;

    /// <summary>The last year a date may name.</summary>
    public const int LastYear = 2200;

    /// <summary>Reads a date or date-time given in Beijing time (or with an explicit offset) as UTC.</summary>
    /// <exception cref="FormatException">Not a date, or a year outside <see cref="FirstYear"/>–<see cref="LastYear"/>.</exception>
    public static DateTime ParseUtc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] formats = ["yyyy-MM-dd", "yyyy-M-d", "yyyy-MM-dd HH:mm", "yyyy-M-d H:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss"];
        if (DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            CheckYear(text, local.Year);
            return new DateTimeOffset(local, Offset).UtcDateTime;
        }

        var hasOffset = text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10;
        if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            CheckYear(text, withOffset.Year);
            return withOffset.UtcDateTime;
        }

        throw new FormatException($"'{text}' is not a date: use 2026-06-20 or 2026-06-20 09:00 (Beijing time), or ISO 8601 with an offset.");
    }

    /// <summary>
    /// Reads the end of a period staff typed: a date alone means the whole of that Beijing day ("valid until 2026-12-31"
    /// covers the 31st, so it ends at 2027-01-01 00:00 Beijing time); a date with a time is that instant.
    /// </summary>
    /// <exception cref="FormatException">Not a date, or a year outside <see cref="FirstYear"/>–<see cref="LastYear"/>.</exception>
    public static DateTime ParseUntilUtc(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var utc = ParseUtc(trimmed);
        return IsDateOnly(trimmed) ? utc.AddDays(1) : utc;
    }

    /// <summary>Returns whether staff typed a date with no time of day (2026-12-31, 2026-1-5).</summary>
    private static bool IsDateOnly(string text) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>
    /// Formats the end of a period for staff: one ending at a Beijing midnight is shown as the last day it covers
    /// (<c>2026-12-31</c> for an end at 2027-01-01 00:00), anything else as the instant.
    /// </summary>
    public static string FormatUntil(DateTime utc)
    {
        var local = DateTime.SpecifyKind(utc, DateTimeKind.Utc) + Offset;
        return local.TimeOfDay == TimeSpan.Zero
            ? DateOnly.FromDateTime(local).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Format(utc);
    }

    /// <summary>Formats the start of a period for staff: a Beijing midnight as the day, anything else as the instant.</summary>
    public static string FormatFrom(DateTime utc)
    {
        var local = DateTime.SpecifyKind(utc, DateTimeKind.Utc) + Offset;
        return local.TimeOfDay == TimeSpan.Zero ? DateOnly.FromDateTime(local).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Format(utc);
    }

    private static void CheckYear(string text, int year)
    {
        if (year is < FirstYear or > LastYear)
        {
            throw new FormatException($"'{text}' is outside the years {FirstYear}–{LastYear}.");
        }
    }

    /// <summary>Reads an optional date from a form (blank: none) as the UTC start of that Beijing day.</summary>
    /// <exception cref="FormatException">Not a date.</exception>
    public static DateTime? ParseDayUtc(string? text) => string.IsNullOrWhiteSpace(text) ? null : ParseUtc(text.Trim());
}
