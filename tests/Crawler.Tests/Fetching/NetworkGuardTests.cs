using System.Net;
using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Tests.Fetching;

public sealed class NetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.20.30.40", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("202.96.128.86", true)]
    [InlineData("2400:3200::1", true)]
    [InlineData("192.0.2.10", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("240.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    // IPv6 forms that carry an IPv4 address: judged by that address, or refused.
    [InlineData("::127.0.0.1", false)]
    [InlineData("::8.8.8.8", false)]
    [InlineData("::ffff:0:127.0.0.1", false)]
    [InlineData("::ffff:0:10.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::127.0.0.1", false)]
    [InlineData("64:ff9b::10.1.2.3", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("64:ff9b::8.8.8.8", true)]
    [InlineData("64:ff9b:1::a00:1", false)]
    [InlineData("64:ff9b:1::808:808", false)]
    [InlineData("2002:7f00:1::", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2002:c0a8:101::1", false)]
    [InlineData("2002:a9fe:a9fe::1", false)]
    [InlineData("2002:808:808::1", true)]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", false)]
    [InlineData("2001:0:5ef5:79fd:0:0:f5ff:fffe", false)]
    [InlineData("2001:2::1", false)]
    [InlineData("2001:10::1", false)]
    [InlineData("2001:20::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("3fff::1", false)]
    [InlineData("100::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("240e:1::1", true)]
    public void IsPublic_Address_OnlyPublicUnicastPasses(string address, bool expected) =>
        Assert.Equal(expected, NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("[::ffff:0:127.0.0.1]")]
    [InlineData("[64:ff9b::7f00:1]")]
    [InlineData("[2002:7f00:1::1]")]
    [InlineData("[::127.0.0.1]")]
    public async Task ResolveAsync_IPv6LiteralCarryingLoopback_RefusedWithoutPermission(string host) =>
        await Assert.ThrowsAsync<NetworkRefusedException>(() => NetworkGuard.ResolveAsync(host, allowPrivateNetwork: false, CancellationToken.None));

    [Fact]
    public async Task ResolveAsync_LocalhostWithoutPermission_RefusedNamingTheAddress()
    {
        var error = await Assert.ThrowsAsync<NetworkRefusedException>(() => NetworkGuard.ResolveAsync("localhost", allowPrivateNetwork: false, CancellationToken.None));

        Assert.Contains("localhost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_LocalhostWithPermission_ResolvesToLoopbackOnly()
    {
        // The name, not a literal address: resolved through the system (hosts file), every address loopback.
        var addresses = await NetworkGuard.ResolveAsync("localhost", allowPrivateNetwork: true, CancellationToken.None);

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.True(System.Net.IPAddress.IsLoopback(a), a + " is not loopback"));
    }
}
