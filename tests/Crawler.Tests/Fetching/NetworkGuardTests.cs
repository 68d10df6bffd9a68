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
    public void IsPublic_Address_OnlyPublicUnicastPasses(string address, bool expected) =>
        Assert.Equal(expected, NetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task ResolveAsync_LocalhostWithoutPermission_RefusedNamingTheAddress()
    {
        var error = await Assert.ThrowsAsync<NetworkRefusedException>(() => NetworkGuard.ResolveAsync("localhost", allowPrivateNetwork: false, CancellationToken.None));

        Assert.Contains("localhost", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveAsync_LocalhostWithPermission_Resolves() =>
        Assert.NotEmpty(await NetworkGuard.ResolveAsync("127.0.0.1", allowPrivateNetwork: true, CancellationToken.None));
}
