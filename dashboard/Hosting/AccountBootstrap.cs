using System.Security.Cryptography;
using ExamNetWatch.Dashboard.Data;
using Microsoft.AspNetCore.Identity;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>Creates the first account of a data directory with a generated password (stored hashed, shown once).</summary>
public sealed class AccountBootstrap(UserManager<StaffUser> users, WatchDbContext db, AuditLog audit)
{
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Symbols = "-_.!@#";

    /// <summary>
    /// Makes sure <paramref name="userName"/> exists with <paramref name="role"/>. Returns the new password when the
    /// account was created (or <paramref name="resetPassword"/> was asked), else null: the password is never stored in clear.
    /// </summary>
    public async Task<string?> EnsureAsync(string userName, string role, bool resetPassword)
    {
        var user = await users.FindByNameAsync(userName);
        var password = GeneratePassword();
        if (user is null)
        {
            user = new StaffUser { UserName = userName, DisplayName = userName };
            Check(await users.CreateAsync(user, password));
            Check(await users.AddToRoleAsync(user, role));
            audit.Add(db, AuditLog.System, AuditActions.UserCreate, "user:" + userName, role);
            await db.SaveChangesAsync();
            return password;
        }

        if (!resetPassword)
        {
            return null;
        }

        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
        await users.SetLockoutEndDateAsync(user, null);
        audit.Add(db, AuditLog.System, AuditActions.UserResetPassword, "user:" + userName);
        await db.SaveChangesAsync();
        return password;
    }

    /// <summary>Returns a random 16-character password with every character class Identity asks for.</summary>
    public static string GeneratePassword()
    {
        var all = Lower + Upper + Digits + Symbols;
        var chars = new char[16];
        chars[0] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[1] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        chars[3] = Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
