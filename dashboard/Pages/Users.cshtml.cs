using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>
/// Staff accounts for admins: add a user with a role (a generated password, shown once), change the role, issue a new
/// password, stop and restart an account. Every change is audited and ends the user's open sessions.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class UsersModel(UserManager<StaffUser> users, WatchDbContext db, AuditLog audit, TimeProvider time) : PageModel
{
    public sealed record Row(string UserName, string Role, DateTimeOffset? LockoutEnd, int FailedLogins);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? Message { get; private set; }

    /// <summary>Gets a password just generated, shown once on this response and never stored in clear.</summary>
    public (string UserName, string Password)? NewPassword { get; private set; }

    public string? Error { get; private set; }

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync(string? userName, string? role)
    {
        userName = userName?.Trim();
        if (string.IsNullOrEmpty(userName) || userName.Length > 64 || role is null || !StaffRoles.All.Contains(role))
        {
            return await FailAsync(UiText.Get("请填写用户名（不超过 64 字）并选择角色。"));
        }

        if (await users.FindByNameAsync(userName) is not null)
        {
            return await FailAsync(UiText.Format("用户 {0} 已存在。", userName));
        }

        var password = AccountBootstrap.GeneratePassword();
        var user = new StaffUser { UserName = userName, DisplayName = userName };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return await FailAsync(string.Join("；", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRoleAsync(user, role);
        await AuditAsync(AuditActions.UserCreate, userName, role);
        NewPassword = (userName, password);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRoleAsync(string? userName, string? role)
    {
        if (await OtherUserAsync(userName) is not { } user || role is null || !StaffRoles.All.Contains(role))
        {
            return await FailAsync(UiText.Get("不能修改这个账户（不存在，或是您自己的账户）。"));
        }

        var before = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, before);
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(AuditActions.UserRole, user.UserName!, $"{string.Join(",", before)} → {role}");
        return Done(UiText.Format("{0} 的角色已改为 {1}。", user.UserName, Rendering.Labels.Role(role)));
    }

    public async Task<IActionResult> OnPostResetAsync(string? userName)
    {
        if (await users.FindByNameAsync(userName ?? string.Empty) is not { } user)
        {
            return await FailAsync(UiText.Get("没有这个用户。"));
        }

        var password = AccountBootstrap.GeneratePassword();
        await users.RemovePasswordAsync(user);
        await users.AddPasswordAsync(user, password);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(AuditActions.UserResetPassword, user.UserName!, null);
        NewPassword = (user.UserName!, password);
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync(string? userName, bool enable)
    {
        if (await OtherUserAsync(userName) is not { } user)
        {
            return await FailAsync(UiText.Get("不能修改这个账户（不存在，或是您自己的账户）。"));
        }

        await users.SetLockoutEndDateAsync(user, enable ? null : DateTimeOffset.MaxValue);
        await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(enable ? AuditActions.UserEnable : AuditActions.UserDisable, user.UserName!, null);
        return Done(enable ? UiText.Format("{0} 已启用。", user.UserName) : UiText.Format("{0} 已停用，不能再登录。", user.UserName));
    }

    /// <summary>Names an account's state.</summary>
    public string State(Row row) =>
        row.LockoutEnd == DateTimeOffset.MaxValue ? UiText.Get("已停用")
        : row.LockoutEnd > Now ? UiText.Format("锁定至 {0}", Rendering.Labels.BeijingTime(row.LockoutEnd.Value.UtcDateTime))
        : UiText.Get("正常");

    private async Task<StaffUser?> OtherUserAsync(string? userName) =>
        string.Equals(userName, User.Identity!.Name, StringComparison.OrdinalIgnoreCase) ? null : await users.FindByNameAsync(userName ?? string.Empty);

    private async Task AuditAsync(string action, string userName, string? detail)
    {
        audit.Add(db, User.Identity!.Name!, action, "user:" + userName, detail, HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync();
    }

    private RedirectToPageResult Done(string message)
    {
        TempData["UsersMessage"] = message;
        return RedirectToPage();
    }

    private async Task<PageResult> FailAsync(string error)
    {
        Error = error;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Message ??= TempData["UsersMessage"] as string;
        var roles = await db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name }).ToListAsync();
        Rows = [.. (await users.Users.OrderBy(u => u.UserName).ToListAsync())
            .Select(u => new Row(u.UserName!, string.Join(",", roles.Where(r => r.UserId == u.Id).Select(r => r.Name)), u.LockoutEnd, u.AccessFailedCount))];
    }
}
