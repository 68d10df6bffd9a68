using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Tests.Ingestion;

/// <summary>"A paper is open now" means the same in the database query and on a loaded paper, at its edges too.</summary>
public sealed class ExamSlotTests
{
    private static readonly DateTime Start = new(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime End = new(2026, 6, 20, 3, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(-1, false, false)]
    [InlineData(0, true, false)]
    [InlineData(60, true, false)]
    [InlineData(119, true, false)]
    [InlineData(120, false, true)]
    [InlineData(121, false, true)]
    public async Task APaper_IsOpenFromItsStartUpToItsEnd_InQueriesAsOnTheSlot(int minutesAfterStart, bool open, bool ended)
    {
        await using var database = await TempDatabase.CreateAsync();
        await using var db = database.NewContext();
        var slot = new ExamSlot { Exam = "2026年中考", Subject = "数学", StartsAtUtc = Start, EndsAtUtc = End };
        db.ExamSlots.Add(slot);
        await db.SaveChangesAsync();
        var now = Start.AddMinutes(minutesAfterStart);

        Assert.Equal(open, slot.IsOpenAt(now));
        Assert.Equal(ended, slot.HasEndedAt(now));
        Assert.Equal(open, await db.ExamSlots.OpenAt(now).AnyAsync());
    }
}
