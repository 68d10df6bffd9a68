using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Account;

/// <summary>Sign-in with user name and password; repeated failures lock the account.</summary>
public sealed class LoginModel(SignInManager<StaffUser> signIn, WatchDbContext db, AuditLog audit) : PageModel
{
    [BindProperty]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(UserName, Password, isPersistent: false, lockoutOnFailure: true);
        var remote = HttpContext.Connection.RemoteIpAddress?.ToString();
        if (result.Succeeded)
        {
            audit.Add(db, UserName, "user.login", "user:" + UserName, remoteAddress: remote);
            await db.SaveChangesAsync();
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        audit.Add(db, UserName, result.IsLockedOut ? "user.login-locked" : "user.login-failed", "user:" + UserName, remoteAddress: remote);
        await db.SaveChangesAsync();
        var stopped = result.IsLockedOut && (await signIn.UserManager.FindByNameAsync(UserName))?.LockoutEnd == DateTimeOffset.MaxValue;
        Error = stopped ? UiText.Get("账户已停用，请联系管理员。")
            : result.IsLockedOut ? UiText.Get("登录失败次数过多，账户已暂时锁定，请 15 分钟后再试。")
            : UiText.Get("用户名或密码错误。");
        return Page();
    }
}
