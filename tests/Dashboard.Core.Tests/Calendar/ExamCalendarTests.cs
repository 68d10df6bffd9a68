using ExamNetWatch.Dashboard.Calendar;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Calendar;

/// <summary>The calendar page and <c>exams add</c> share these rules: what is refused is refused in both, and nothing is half saved.</summary>
public sealed class ExamCalendarTests
{
    private static readonly DateTime Start = new(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2026年中考", "数学", 0, "结束时间必须晚于开始时间。")]
    [InlineData("2026年中考", "数学", -30, "结束时间必须晚于开始时间。")]
    [InlineData(" ", "数学", 120, "请填写考试和科目（各不超过 100 字）。")]
    [InlineData("2026年中考", null, 120, "请填写考试和科目（各不超过 100 字）。")]
    public async Task Add_BadPaper_IsRefusedSayingWhy_AndNothingIsSaved(string? exam, string? subject, int minutes, string expected)
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();

        var error = await Assert.ThrowsAsync<ExamCalendarException>(() => new ExamCalendar(db, new AuditLog(_time)).AddAsync(exam, subject, Start, Start.AddMinutes(minutes), "chief", null, CancellationToken.None));

        Assert.Equal(expected, error.Text.ToString());
        Assert.Equal(0, await db.ExamSlots.CountAsync());
        Assert.Equal(0, await db.Audit.CountAsync());
    }

    [Fact]
    public async Task Add_NameOfMoreThanAHundredCharacters_IsRefused()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();

        await Assert.ThrowsAsync<ExamCalendarException>(() => new ExamCalendar(db, new AuditLog(_time)).AddAsync(new string('考', 101), "数学", Start, Start.AddHours(2), "chief", null, CancellationToken.None));
    }

    [Fact]
    public async Task AddThenRemove_NamesAreTrimmed_BothStepsAudited()
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var calendar = new ExamCalendar(db, new AuditLog(_time));

        var slot = await calendar.AddAsync(" 2026年中考 ", "数学 ", Start, Start.AddHours(2), "chief", "10.0.0.5", CancellationToken.None);
        Assert.Equal(("2026年中考", "数学"), (slot.Exam, slot.Subject));
        Assert.True(await calendar.RemoveAsync(slot.Id, "chief", "10.0.0.5", CancellationToken.None));
        Assert.False(await calendar.RemoveAsync(slot.Id, "chief", null, CancellationToken.None));

        var audited = await db.Audit.OrderBy(a => a.Sequence).Select(a => new { a.Action, a.Target, a.Actor }).ToListAsync();
        Assert.Equal([AuditActions.ExamAdd, AuditActions.ExamRemove], audited.Select(a => a.Action));
        Assert.All(audited, a => Assert.Equal(("exam:2026年中考", "chief"), (a.Target, a.Actor)));
        Assert.Equal(0, await db.ExamSlots.CountAsync());
    }
}
