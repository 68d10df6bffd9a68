using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Account;

/// <summary>
/// Signs out (POST only, with antiforgery) and ends the session on the server: the account's security stamp changes,
/// so a copy of the old cookie no longer signs anyone in (the stamp is checked on every request).
/// </summary>
public sealed class LogoutModel(SignInManager<StaffUser> signIn, UserManager<StaffUser> users) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
