using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Account;

/// <summary>
/// Sign-in with user name and password. Inputs are bounded (a huge name is refused before anything reads it),
/// attempts are rate-limited per name and address (<see cref="LoginThrottle"/>) instead of locking accounts, and every
/// failure — unknown name, wrong password, stopped account — gets the same message after the same work, so the page
/// tells no one which names exist.
/// </summary>
[RequestSizeLimit(16 * 1024)]
[RequestFormLimits(ValueLengthLimit = 4096, KeyLengthLimit = 64, ValueCountLimit = 8)]
public sealed class LoginModel(SignInManager<StaffUser> signIn, WatchDbContext db, AuditLog audit, LoginThrottle throttle) : PageModel
{
    /// <summary>The longest user name and password accepted.</summary>
    public const int MaxUserName = 256, MaxPassword = 1024;

    // A hash to verify against when the name is unknown, so that case costs what a wrong password costs.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString()));

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
        var remote = HttpContext.Connection.RemoteIpAddress?.ToString();
        var name = (UserName ?? string.Empty).Trim();
        var shown = name.Length > 64 ? name[..64] + "…" : name;
        if (name.Length is 0 or > MaxUserName || (Password ?? string.Empty).Length > MaxPassword)
        {
            return Failed(null);
        }

        if (!throttle.MayAttempt(name, remote))
        {
            audit.Add(db, AuditLog.System, AuditActions.UserLoginThrottled, "user:" + shown, remoteAddress: remote);
            await db.SaveChangesAsync();
            UserName = shown;
            Error = UiText.Format("尝试次数过多，请 {0} 分钟后再试。", (int)LoginThrottle.Window.TotalMinutes);
            return Page();
        }

        var user = await signIn.UserManager.FindByNameAsync(name);
        if (user is null)
        {
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(new StaffUser(), DummyHash.Value, Password ?? string.Empty);
            return await FailedAsync(name, shown, remote);
        }

        // Failures do not lock the account (the throttle bounds guessing); a stopped account stays refused.
        var result = await signIn.PasswordSignInAsync(user, Password ?? string.Empty, isPersistent: false, lockoutOnFailure: false);
        if (result.Succeeded)
        {
            audit.Add(db, user.UserName!, AuditActions.UserLogin, "user:" + user.UserName, remoteAddress: remote);
            await db.SaveChangesAsync();
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        return await FailedAsync(name, shown, remote, result.IsLockedOut ? AuditActions.UserLoginStopped : AuditActions.UserLoginFailed);
    }

    private async Task<IActionResult> FailedAsync(string name, string shown, string? remote, string action = AuditActions.UserLoginFailed)
    {
        throttle.Failed(name, remote);
        audit.Add(db, AuditLog.System, action, "user:" + shown, remoteAddress: remote);
        await db.SaveChangesAsync();
        return Failed(shown);
    }

    private PageResult Failed(string? shown)
    {
        UserName = shown ?? string.Empty;
        Password = string.Empty;
        Error = UiText.Get("用户名或密码错误，或账户已停用。");
        return Page();
    }
}
