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

    /// <summary>
    /// Returns whether <paramref name="address"/> is a public unicast address. IPv6 is public only inside global unicast
    /// (2000::/3) and outside its special ranges; the forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64
    /// 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry; the other IPv4-embedding and tunnelling
    /// forms (IPv4-compatible ::a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d, local NAT64 64:ff9b:1::/48, Teredo
    /// 2001::/32 and the rest of 2001::/23) are refused, as are documentation, discard, ULA, link-local and multicast.
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IsPublicV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        // NAT64, well-known prefix 64:ff9b::/96: the IPv4 address in the last 32 bits is where the packet goes.
        if (Starts(b, 0x00, 0x64, 0xff, 0x9b) && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return IsPublicV4(b[12..16]);
        }

        // 6to4, 2002::/16: the relay delivers to the IPv4 address in bits 16–47.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPublicV4(b[2..6]);
        }

        return (b[0] & 0xE0) == 0x20                          // global unicast 2000::/3 only
            && !(b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02)  // 2001::/23 IETF protocol assignments (Teredo 2001::/32, benchmarking, ORCHID)
            && !Starts(b, 0x20, 0x01, 0x0d, 0xb8)              // 2001:db8::/32 documentation
            && !(b[0] == 0x3f && b[1] == 0xff && b[2] < 0x10);  // 3fff::/20 documentation
    }

    private static bool Starts(byte[] b, byte b0, byte b1, byte b2, byte b3) => b[0] == b0 && b[1] == b1 && b[2] == b2 && b[3] == b3;

    private static bool IsPublicV4(byte[] b) =>
        !(b[0] is 0 or 10 or 127 or >= 224
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
            || (b[0] == 192 && b[1] == 88 && b[2] == 99)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 198 && b[1] is 18 or 19)
            || (b[0] == 198 && b[1] == 51 && b[2] == 100)
            || (b[0] == 203 && b[1] == 0 && b[2] == 113));

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
