using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Dashboard.Sources;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary><c>sources add|list|show|disable|sweep</c>: manage the authorised sources of a data directory.</summary>
internal static class SourcesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Option<bool> AsJson = new("--json") { Description = "Print JSON" };

    public static Command Create()
    {
        var sources = new Command("sources", "Manage authorised sources: nothing is crawled without a registered, valid written authorisation");
        sources.Subcommands.Add(Add());
        sources.Subcommands.Add(List());
        sources.Subcommands.Add(Show());
        sources.Subcommands.Add(Disable());
        sources.Subcommands.Add(Sweep());
        return sources;
    }

    private static Command Add()
    {
        var name = new Argument<string>("name") { Description = "Source name, e.g. 某市中考论坛" };
        var entry = new Option<string[]>("--entry") { Description = "Entry URL (board, thread or page); repeatable; required for a forum", AllowMultipleArgumentsPerToken = true };
        var scope = new Option<string[]>("--scope") { Description = "Allowed URL prefix (scheme://host/path); repeatable; entries must lie inside; required for a forum", AllowMultipleArgumentsPerToken = true };
        var kind = new Option<string>("--kind") { Description = "forum (crawled), or qq-group / wechat-group (a group chat, imported from a member's exports with 'import chat')", DefaultValueFactory = _ => SourceKinds.Forum };
        var group = new Option<string?>("--group") { Description = "A group chat's id: the QQ group number, or the WeChat chatroom id (…@chatroom)" };
        var member = new Option<string?>("--member") { Description = "The member of the group who exports its history under the authorisation" };
        var basis = new Option<string>("--basis") { Description = "Authorisation basis, e.g. 赣考院中〔2019〕3号", Required = true };
        var approvedBy = new Option<string>("--approved-by") { Description = "Approving body", Required = true };
        var scopeNote = new Option<string>("--scope-note") { Description = "What the authorisation covers, in its own words", DefaultValueFactory = _ => string.Empty };
        var from = new Option<string>("--valid-from") { Description = "Start of validity (Beijing time: 2026-05-01 or 2026-05-01 08:00)", Required = true };
        var until = new Option<string>("--valid-until") { Description = "End of validity (Beijing time): a date alone covers that whole day; 2026-06-30 18:00 ends then", Required = true };
        var registeredBy = new Option<string>("--registered-by") { Description = "Who registers it", Required = true };
        var profile = new Option<string>("--profile") { Description = "Forum profile: auto, discuz, phpbb, tieba, article", DefaultValueFactory = _ => "auto" };
        var schedule = new Option<string>("--schedule") { Description = "Crawl schedule, cron (5 fields, or 6 with seconds)", DefaultValueFactory = _ => "0 */15 * * * *" };
        var allowPrivate = new Option<bool>("--allow-private-network") { Description = "Allow loopback/private addresses (the authority's own network); audited" };
        var minDelay = new Option<double?>("--min-delay") { Description = "Seconds between two requests to the host (default 2)" };
        var ignoreRobots = new Option<string?>("--ignore-robots") { Description = "Ignore robots.txt, giving the reason (audited)" };
        var examCritical = new Option<bool>("--exam-critical") { Description = "Crawl every minute while an exam paper is in progress" };
        var command = new Command("add", "Register a source with its written authorisation") { name, entry, scope, basis, approvedBy, scopeNote, from, until, registeredBy, profile, schedule, allowPrivate, minDelay, ignoreRobots, examCritical, kind, group, member, AsJson };
        command.SetAction(async (r, ct) =>
        {
            SourceRegistration registration;
            try
            {
                registration = new SourceRegistration(
                    r.GetValue(name)!, r.GetValue(entry) ?? [], r.GetValue(scope) ?? [], r.GetValue(basis)!, r.GetValue(approvedBy)!, r.GetValue(scopeNote)!,
                    Hosting.BeijingTime.ParseUtc(r.GetValue(from)!), Hosting.BeijingTime.ParseUntilUtc(r.GetValue(until)!), r.GetValue(registeredBy)!)
                {
                    Profile = r.GetValue(profile)!,
                    Schedule = r.GetValue(schedule)!,
                    AllowPrivateNetwork = r.GetValue(allowPrivate),
                    MinDelaySeconds = r.GetValue(minDelay),
                    IgnoreRobotsReason = r.GetValue(ignoreRobots),
                    ExamCritical = r.GetValue(examCritical),
                    Kind = r.GetValue(kind)!,
                    ChatGroupId = r.GetValue(group),
                    ChatMember = r.GetValue(member),
                };
                SourceRegistry.Validate(registration);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                await Console.Error.WriteLineAsync("sources add: " + ex.Message);
                return 2;
            }

            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scopeServices = services.CreateAsyncScope();
            try
            {
                var source = await scopeServices.ServiceProvider.GetRequiredService<SourceRegistry>().AddAsync(registration, ct);
                await Print(source, r.GetValue(AsJson), services.GetRequiredService<TimeProvider>());
                return 0;
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync("sources add: " + ex.Message);
                return 2;
            }
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List sources with their authorisation status and last crawl") { AsJson };
        command.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var sources = await scope.ServiceProvider.GetRequiredService<SourceRegistry>().ListAsync(ct);
            if (r.GetValue(AsJson))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(sources.Select(s => View(s, now)), Json));
                return 0;
            }

            if (sources.Count == 0)
            {
                await Console.Out.WriteLineAsync("no sources / 暂无来源");
            }

            foreach (var s in sources)
            {
                var status = SourceStatus.Of(s, now);
                await Console.Out.WriteLineAsync(FormattableString.Invariant($"{s.Id,-4} {TerminalText.Clean(s.Name)}  [{status.Code}] {status.Reason}  {(s.IsChat ? $"{s.Kind} group={TerminalText.Clean(s.ChatGroupId ?? string.Empty)}" : $"profile={s.Profile} schedule=\"{s.Schedule}\"")}  last: {TerminalText.Clean(s.LastCrawlResult ?? "—")}"));
            }

            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var which = new Argument<string>("source") { Description = "Source id or name" };
        var command = new Command("show", "Show one source with its scope and authorisations") { which, AsJson };
        command.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var source = await scope.ServiceProvider.GetRequiredService<SourceRegistry>().FindAsync(r.GetValue(which)!, ct);
            if (source is null)
            {
                await Console.Error.WriteLineAsync($"sources show: no source '{r.GetValue(which)}'");
                return 1;
            }

            await Print(source, r.GetValue(AsJson), services.GetRequiredService<TimeProvider>());
            return 0;
        });
        return command;
    }

    private static Command Sweep()
    {
        var which = new Argument<string>("source") { Description = "Source id or name" };
        var by = new Option<string>("--by") { Description = "Who starts the sweep (audited)", DefaultValueFactory = _ => Environment.UserName };
        var since = new Option<string?>("--since") { Description = "Back to this Beijing date (yyyy-MM-dd); default: the whole history" };
        var command = new Command("sweep", "Sweep the source's boards again at its next crawl (a running server's schedule), the whole history or back to a date") { which, by, since, AsJson };
        command.SetAction(async (r, ct) =>
        {
            DateTime? sinceUtc;
            try
            {
                sinceUtc = BeijingTime.ParseDayUtc(r.GetValue(since));
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync("sources sweep: --since " + e.Message);
                return 2;
            }

            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            if (await scope.ServiceProvider.GetRequiredService<SourceRegistry>().RestartSweepAsync(r.GetValue(which)!, sinceUtc, r.GetValue(by)!, null, null, ct) is not { } swept)
            {
                await Console.Error.WriteLineAsync($"sources sweep: no source '{r.GetValue(which)}'");
                return 1;
            }

            await Print(swept.Source, r.GetValue(AsJson), services.GetRequiredService<TimeProvider>());
            return 0;
        });
        return command;
    }

    private static Command Disable()
    {
        var which = new Argument<string>("source") { Description = "Source id or name" };
        var by = new Option<string>("--by") { Description = "Who disables it (audited)", DefaultValueFactory = _ => Environment.UserName };
        var reason = new Option<string?>("--reason") { Description = "Why (audited)" };
        var command = new Command("disable", "Stop crawling a source (its data stays); a running server drops its schedule within a minute") { which, by, reason, AsJson };
        command.SetAction(async (r, ct) =>
        {
            await using var services = await CliHost.OpenAsync(r.GetValue(CommandLine.DataDir)!, ct);
            await using var scope = services.CreateAsyncScope();
            var source = await scope.ServiceProvider.GetRequiredService<SourceRegistry>().DisableAsync(r.GetValue(which)!, r.GetValue(by)!, r.GetValue(reason), ct);
            if (source is null)
            {
                await Console.Error.WriteLineAsync($"sources disable: no source '{r.GetValue(which)}'");
                return 1;
            }

            await Print(source, r.GetValue(AsJson), services.GetRequiredService<TimeProvider>());
            return 0;
        });
        return command;
    }

    private static async Task Print(Source source, bool json, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(View(source, now), Json));
            return;
        }

        var status = SourceStatus.Of(source, now);
        await Console.Out.WriteLineAsync(FormattableString.Invariant($"{source.Id} {source.Name} [{status.Code}] {status.Reason}"));
        if (source.IsChat)
        {
            await Console.Out.WriteLineAsync($"  kind:     {source.Kind}   group: {TerminalText.Clean(source.ChatGroupId ?? string.Empty)}   exported by: {TerminalText.Clean(source.ChatMember ?? string.Empty)} (imported with 'import chat', never crawled)");
        }
        else
        {
            await Console.Out.WriteLineAsync($"  entry:    {string.Join(' ', Source.Lines(source.EntryUrls))}");
            await Console.Out.WriteLineAsync($"  scope:    {string.Join(' ', Source.Lines(source.ScopePrefixes))}");
            await Console.Out.WriteLineAsync($"  profile:  {source.Profile}   schedule: {source.Schedule}   exam-critical: {source.ExamCritical}");
        }
        await Console.Out.WriteLineAsync($"  network:  {(source.AllowPrivateNetwork ? "private networks allowed" : "public addresses only")}   robots.txt: {(source.IgnoreRobots ? "ignored — " + source.IgnoreRobotsReason : "obeyed")}");
        await Console.Out.WriteLineAsync($"  sweep:    {(source.SweepSinceUtc is { } since ? "back to " + BeijingTime.DayOf(since).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " (Beijing)" : "the whole history")}");
        foreach (var a in source.Authorisations)
        {
            await Console.Out.WriteLineAsync($"  authorisation: {a.Basis} · {a.ApprovedBy} · {BeijingTime.FormatFrom(a.ValidFromUtc)} – {BeijingTime.FormatUntil(a.ValidUntilUtc)} · {a.ScopeNote} · registered by {a.RegisteredBy}");
        }
    }

    private static object View(Source s, DateTime now)
    {
        var status = SourceStatus.Of(s, now);
        return new
        {
            s.Id,
            s.Name,
            Status = status.Code,
            StatusReason = status.Reason.ToString(),
            s.Enabled,
            s.Kind,
            s.ChatGroupId,
            s.ChatMember,
            EntryUrls = Source.Lines(s.EntryUrls),
            ScopePrefixes = Source.Lines(s.ScopePrefixes),
            s.Profile,
            s.Schedule,
            s.ExamCritical,
            s.AllowPrivateNetwork,
            s.MinDelaySeconds,
            s.IgnoreRobots,
            s.IgnoreRobotsReason,
            s.LastCrawlAtUtc,
            s.LastCrawlResult,
            s.SweepSinceUtc,
            Authorisations = s.Authorisations.Select(a => new { a.Basis, a.ApprovedBy, a.ScopeNote, a.ValidFromUtc, a.ValidUntilUtc, a.RegisteredBy }),
        };
    }
}
