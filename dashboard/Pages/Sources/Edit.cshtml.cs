using System.Globalization;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Sources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Sources;

/// <summary>Registers a source with its written authorisation, or changes how a registered source is crawled (admins).</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class EditModel(SourceRegistry registry) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    /// <summary>Gets or sets the entry URLs, one per line.</summary>
    [BindProperty]
    public string? EntryUrls { get; set; }

    /// <summary>Gets or sets the scope prefixes, one per line.</summary>
    [BindProperty]
    public string? ScopePrefixes { get; set; }

    [BindProperty]
    public string Profile { get; set; } = "auto";

    [BindProperty]
    public string Schedule { get; set; } = "0 */15 * * * *";

    /// <summary>
    /// Gets or sets the schedule chosen from the form's list (a cron of <see cref="Rendering.Labels.SchedulePresets"/>), or
    /// "custom" for the cron typed in <see cref="Schedule"/>.
    /// </summary>
    [BindProperty]
    public string? SchedulePreset { get; set; }

    /// <summary>Gets the preset the form shows selected: the schedule's own, or "custom" for any other cron.</summary>
    public string ShownPreset => Rendering.Labels.SchedulePresets.Contains(Schedule.Trim()) ? Schedule.Trim() : "custom";

    [BindProperty]
    public string? MinDelay { get; set; }

    [BindProperty]
    public bool ExamCritical { get; set; }

    [BindProperty]
    public bool AllowPrivateNetwork { get; set; }

    [BindProperty]
    public string? IgnoreRobotsReason { get; set; }

    [BindProperty]
    public AuthorisationForm Authorisation { get; set; } = new();

    /// <summary>Gets or sets the kind of a new source: a forum (crawled) or a group chat (imported from a member's exports).</summary>
    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = SourceKinds.Forum;

    /// <summary>Gets or sets a group chat's id (QQ group number, WeChat chatroom id).</summary>
    [BindProperty]
    public string? ChatGroupId { get; set; }

    /// <summary>Gets or sets the member who exports the group's history under the authorisation.</summary>
    [BindProperty]
    public string? ChatMember { get; set; }

    /// <summary>Gets whether the form registers a group chat.</summary>
    public bool IsChat => Kind is SourceKinds.QqGroup or SourceKinds.WeChatGroup;

    public int? Id { get; private set; }

    public string? Error { get; private set; }

    public static IReadOnlyCollection<string> Profiles => ProfileRegistry.Names;

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken cancellationToken)
    {
        Id = id;
        if (id is null)
        {
            return Page();
        }

        var source = await registry.FindAsync(id.Value.ToString(CultureInfo.InvariantCulture), cancellationToken);
        if (source is null)
        {
            return NotFound();
        }

        if (source.IsChat)
        {
            // A group chat has no crawl settings to change.
            return RedirectToPage("Detail", new { id });
        }

        var settings = SourceRegistry.SettingsOf(source);
        Name = source.Name;
        EntryUrls = string.Join('\n', settings.EntryUrls);
        ScopePrefixes = string.Join('\n', settings.ScopePrefixes);
        Profile = settings.Profile;
        Schedule = settings.Schedule;
        MinDelay = settings.MinDelaySeconds?.ToString(CultureInfo.InvariantCulture);
        ExamCritical = settings.ExamCritical;
        AllowPrivateNetwork = settings.AllowPrivateNetwork;
        IgnoreRobotsReason = settings.IgnoreRobotsReason;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken cancellationToken)
    {
        Id = id;
        try
        {
            if (id is null && Kind != SourceKinds.Forum)
            {
                var authorisation = Authorisation.ToRegistration(User.Identity!.Name!);
                var chat = await registry.AddAsync(
                    new SourceRegistration(Name?.Trim() ?? string.Empty, [], [], authorisation.Basis, authorisation.ApprovedBy, authorisation.ScopeNote, authorisation.ValidFromUtc, authorisation.ValidUntilUtc, authorisation.RegisteredBy)
                    {
                        Kind = Kind,
                        ChatGroupId = ChatGroupId,
                        ChatMember = ChatMember,
                    },
                    cancellationToken);
                return RedirectToPage("Detail", new { id = chat.Id });
            }

            var settings = Settings();
            var actor = User.Identity!.Name!;
            var address = HttpContext.Connection.RemoteIpAddress?.ToString();
            if (id is { } existing)
            {
                return await registry.UpdateAsync(existing, settings, actor, address, cancellationToken) is null ? NotFound() : RedirectToPage("Detail", new { id = existing });
            }

            var registration = SourceRegistration.Of(Name?.Trim() ?? string.Empty, settings, Authorisation.ToRegistration(actor));
            var source = await registry.AddAsync(registration, cancellationToken);
            return RedirectToPage("Detail", new { id = source.Id });
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Error = UiText.Get("未保存：") + ex.Message;
            return Page();
        }
    }

    private SourceSettings Settings()
    {
        double? delay = null;
        if (!string.IsNullOrWhiteSpace(MinDelay))
        {
            delay = double.TryParse(MinDelay, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : throw new FormatException($"'{MinDelay}' is not a number of seconds.");
        }

        if (SchedulePreset is { } preset && Rendering.Labels.SchedulePresets.Contains(preset))
        {
            Schedule = preset;
        }

        return new SourceSettings(Source.Lines(EntryUrls ?? string.Empty), Source.Lines(ScopePrefixes ?? string.Empty), Profile, (Schedule ?? string.Empty).Trim())
        {
            MinDelaySeconds = delay,
            ExamCritical = ExamCritical,
            AllowPrivateNetwork = AllowPrivateNetwork,
            IgnoreRobotsReason = string.IsNullOrWhiteSpace(IgnoreRobotsReason) ? null : IgnoreRobotsReason.Trim(),
        };
    }
}
