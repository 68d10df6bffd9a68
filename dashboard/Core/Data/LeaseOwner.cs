using System.Diagnostics;
using System.Globalization;

namespace ExamNetWatch.Dashboard.Data;

/// <summary>
/// Who holds an outbox lease: <c>machine:pid:nonce</c>. A lease held by a process of this machine that no longer runs
/// (killed, crashed) is dead and can be taken at once instead of after its expiry, so a restart sends and indexes what
/// the dead process had taken without waiting minutes. Leases of other machines are left to expire.
/// </summary>
public static class LeaseOwner
{
    private static readonly string Machine = Environment.MachineName.Length > 50 ? Environment.MachineName[..50] : Environment.MachineName;

    /// <summary>A new owner name for this process.</summary>
    public static string New() => FormattableString.Invariant($"{Machine}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    /// <summary>Whether <paramref name="owner"/> names a process of this machine that has ended.</summary>
    public static bool IsDeadHere(string? owner)
    {
        var parts = owner?.Split(':');
        if (parts is not { Length: >= 3 }
            || !string.Equals(string.Join(':', parts[..^2]), Machine, StringComparison.Ordinal)
            || !int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
