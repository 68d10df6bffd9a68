using System.CommandLine;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Rendering;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>exams add|list</c>: the exam calendar; while a paper is in progress exam-critical sources are crawled every minute.</summary>
internal static class ExamsCommand
{
    public static Command Create()
    {
        var exam = new Option<string>("--exam") { Description = "Exam, e.g. 2026年中考", DefaultValueFactory = _ => "中考" };
        var subject = new Option<string>("--subject") { Description = "Subject, e.g. 数学", Required = true };
        var from = new Option<string>("--from") { Description = "Paper start (Beijing time, 2026-06-20 09:00)", Required = true };
        var to = new Option<string>("--to") { Description = "Paper end (Beijing time)", Required = true };
        var add = new Command("add", "Add a paper to the exam calendar") { exam, subject, from, to };
        add.SetAction(async (r, ct) =>
        {
            DateTime start, end;
            var flag = "--from";
            try
            {
                start = Hosting.BeijingTime.ParseUtc(r.GetValue(from)!);
                flag = "--to";
                end = Hosting.BeijingTime.ParseUtc(r.GetValue(to)!);
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync($"exams add: {flag} {ex.Message}");
                return 2;
            }

            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            ExamSlot slot;
            try
            {
                slot = await scope.ServiceProvider.GetRequiredService<Calendar.ExamCalendar>().AddAsync(r.GetValue(exam), r.GetValue(subject), start, end, Environment.UserName, null, ct);
            }
            catch (Calendar.ExamCalendarException ex)
            {
                await Console.Error.WriteLineAsync("exams add: " + ex.Text);
                return 2;
            }

            await Console.Out.WriteLineAsync($"{slot.Id} {slot.Exam} {slot.Subject} {Labels.BeijingTime(start)} – {Labels.BeijingTime(end)}");
            return 0;
        });
        var list = new Command("list", "List the exam calendar");
        list.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            foreach (var slot in await scope.ServiceProvider.GetRequiredService<WatchDbContext>().ExamSlots.OrderBy(s => s.StartsAtUtc).ToListAsync(ct))
            {
                await Console.Out.WriteLineAsync($"{slot.Id} {slot.Exam} {slot.Subject} {Labels.BeijingTime(slot.StartsAtUtc)} – {Labels.BeijingTime(slot.EndsAtUtc)}");
            }

            return 0;
        });
        var id = new Argument<int>("id") { Description = "The paper's number, as 'exams list' shows it" };
        var remove = new Command("remove", "Remove a paper from the exam calendar (audited)") { id };
        remove.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<Calendar.ExamCalendar>().RemoveAsync(r.GetValue(id), Environment.UserName, null, ct))
            {
                await Console.Error.WriteLineAsync(FormattableString.Invariant($"exams remove: there is no paper {r.GetValue(id)} in the calendar."));
                return 2;
            }

            return 0;
        });
        return new Command("exams", "The exam calendar") { add, list, remove };
    }
}
