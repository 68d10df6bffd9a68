using System.CommandLine;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>audit verify</c>: recomputes the audit log's hash chain; exits 0 only if every entry holds.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "Recompute the audit log's hash chain: exit 0 if it holds, 1 naming the entries that do not");
        verify.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var result = await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<WatchDbContext>(), ct, anchor: scope.ServiceProvider.GetRequiredService<AuditAnchor>());
            if (result.Holds)
            {
                await Console.Out.WriteLineAsync(FormattableString.Invariant($"audit log holds: {result.Entries} entries chained, head {result.HeadHash}; {result.Anchored} heads anchored outside the database checked"));
                return 0;
            }

            await Console.Out.WriteLineAsync(FormattableString.Invariant($"audit log BROKEN ({result.Entries} entries read):"));
            foreach (var problem in result.Problems)
            {
                await Console.Out.WriteLineAsync("  " + TerminalText.Clean(problem));
            }

            return 1;
        });
        return new Command("audit", "The tamper-evident audit log") { verify };
    }
}
