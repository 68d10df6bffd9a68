using Microsoft.AspNetCore.Identity;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>A member of staff who signs in to the dashboard.</summary>
public sealed class StaffUser : IdentityUser
{
    public string? DisplayName { get; set; }
}

/// <summary>The account rules shared by the server and the command line.</summary>
public static class StaffAccounts
{
    /// <summary>Applies them: 12-character passwords, lockout after 5 failures for 15 minutes, and user names in any script (王老师).</summary>
    public static void Configure(Microsoft.AspNetCore.Identity.IdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Password.RequiredLength = 12;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
        // Empty: no character restriction, so staff can use their Chinese names.
        options.User.AllowedUserNameCharacters = string.Empty;
    }
}

/// <summary>The roles of the dashboard.</summary>
public static class StaffRoles
{
    public const string Admin = "Admin";
    public const string Analyst = "Analyst";
    public const string Viewer = "Viewer";

    /// <summary>Gets every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Analyst, Viewer];
}

/// <summary>The authorisation policies of the dashboard.</summary>
public static class StaffPolicies
{
    /// <summary>May triage alerts and export evidence: Admin or Analyst.</summary>
    public const string Triage = "Triage";

    /// <summary>May manage users, sources, rules and settings, and see the Hangfire dashboard: Admin.</summary>
    public const string Admin = "Admin";
}
