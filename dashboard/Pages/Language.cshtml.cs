using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages;

/// <summary>Switches the UI language (a cookie for a year) and returns to the page the user was on; open to anyone so the login page can switch too.</summary>
[AllowAnonymous]
public sealed class LanguageModel(TimeProvider time) : PageModel
{
    public IActionResult OnGet(string? lang, string? returnUrl)
    {
        var ui = UiText.Cultures.FirstOrDefault(c => string.Equals(c.Name, lang, StringComparison.OrdinalIgnoreCase)) ?? UiText.Cultures[0];
        Response.Cookies.Append(
            UiText.CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(UiText.Cultures[0], ui)),
            new CookieOptions { Expires = time.GetUtcNow().AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
