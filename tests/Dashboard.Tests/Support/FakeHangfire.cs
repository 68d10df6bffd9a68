using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>Records what would be scheduled or queued, for tests of the scheduling rules.</summary>
public sealed class FakeHangfire : IRecurringJobManager, IBackgroundJobClient
{
    public Dictionary<string, (Job Job, string Cron)> Recurring { get; } = [];

    public List<Job> Queued { get; } = [];

    public void AddOrUpdate(string recurringJobId, Job job, string cronExpression, RecurringJobOptions options) => Recurring[recurringJobId] = (job, cronExpression);

    public void Trigger(string recurringJobId) => Queued.Add(Recurring[recurringJobId].Job);

    public void RemoveIfExists(string recurringJobId) => Recurring.Remove(recurringJobId);

    public string Create(Job job, IState state)
    {
        Queued.Add(job);
        return Queued.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
