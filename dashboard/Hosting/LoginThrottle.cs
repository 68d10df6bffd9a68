using System.Threading.RateLimiting;

namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>
/// Bounds sign-in guessing without letting anyone lock another person's account: at most
/// <see cref="PerNameAndAddress"/> failed attempts per user name from one address, and <see cref="PerAddress"/> from
/// one address over all names, in each <see cref="Window"/>; past either, that address waits. Accounts are not locked by failures (that lock is what an
/// attacker would use); only staff stop an account.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    public const int PerNameAndAddress = 5;
    public const int PerAddress = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly PartitionedRateLimiter<string> _byNameAndAddress = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerNameAndAddress, Window = Window, QueueLimit = 0 }));

    private readonly PartitionedRateLimiter<string> _byAddress = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerAddress, Window = Window, QueueLimit = 0 }));

    /// <summary>Returns whether <paramref name="userName"/> may try to sign in from <paramref name="address"/> now (failures left in both windows).</summary>
    public bool MayAttempt(string userName, string? address)
    {
        ArgumentNullException.ThrowIfNull(userName);
        // Zero permits asks whether any are left without using one.
        using var perAddress = _byAddress.AttemptAcquire(Address(address), 0);
        using var perName = _byNameAndAddress.AttemptAcquire(Key(userName, address), 0);
        return perAddress.IsAcquired && perName.IsAcquired;
    }

    /// <summary>Counts a failed attempt against both windows (a successful sign-in costs nothing).</summary>
    public void Failed(string userName, string? address)
    {
        ArgumentNullException.ThrowIfNull(userName);
        _byAddress.AttemptAcquire(Address(address)).Dispose();
        _byNameAndAddress.AttemptAcquire(Key(userName, address)).Dispose();
    }

    private static string Address(string? address) => address ?? "?";

    private static string Key(string userName, string? address) => Address(address) + "\n" + userName.ToUpperInvariant();

    public void Dispose()
    {
        _byNameAndAddress.Dispose();
        _byAddress.Dispose();
    }
}
