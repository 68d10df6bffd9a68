using System.Net;
using System.Net.Sockets;

namespace ExamNetWatch.Crawler.Fetching;

/// <summary>Thrown when a host resolves to an address the source may not reach (loopback, private, link-local, metadata…).</summary>
public sealed class NetworkRefusedException : Exception
{
    public NetworkRefusedException()
    {
    }

    public NetworkRefusedException(string message)
        : base(message)
    {
    }

    public NetworkRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The SSRF guard: a crawl may only connect to public addresses, unless its source explicitly allows private
/// networks. Checked when a URL is resolved before the request, and again on the address actually connected to
/// (so a DNS answer that changes between the two cannot slip through).
/// </summary>
public static class NetworkGuard
{
    /// <summary>The request option carrying whether private networks are allowed for that request.</summary>
    public static readonly HttpRequestOptionsKey<bool> AllowPrivateNetwork = new("ExamNetWatch.AllowPrivateNetwork");

    /// <summary>The request option the connection fills with the remote address it connected to.</summary>
    public static readonly HttpRequestOptionsKey<string> RemoteAddress = new("ExamNetWatch.RemoteAddress");

    /// <summary>Returns whether <paramref name="address"/> is a public unicast address.</summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19));
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC);
        }

        return false;
    }

    /// <summary>Resolves <paramref name="host"/> and refuses it if any of its addresses is not public (unless allowed).</summary>
    /// <exception cref="NetworkRefusedException">The host resolves to a non-public address and private networks are not allowed.</exception>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivateNetwork, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"{host} does not resolve.");
        }

        if (!allowPrivateNetwork && addresses.FirstOrDefault(a => !IsPublic(a)) is { } denied)
        {
            throw new NetworkRefusedException(
                $"Refused {host}: it resolves to {denied}, a loopback, private, link-local or reserved address, and the source does not allow private networks.");
        }

        return addresses;
    }

    /// <summary>The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves, checks and connects, and records the address.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.InitialRequestMessage;
        var allowPrivate = request.Options.TryGetValue(AllowPrivateNetwork, out var allowed) && allowed;
        var addresses = await ResolveAsync(context.DnsEndPoint.Host, allowPrivate, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            if (socket.RemoteEndPoint is IPEndPoint remote)
            {
                if (!allowPrivate && !IsPublic(remote.Address))
                {
                    throw new NetworkRefusedException($"Refused {context.DnsEndPoint.Host}: connected to non-public {remote.Address}.");
                }

                request.Options.Set(RemoteAddress, remote.Address.ToString());
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
