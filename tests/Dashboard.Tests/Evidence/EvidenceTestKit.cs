using System.IO.Compression;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Evidence;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Dashboard.Tests.Evidence;

/// <summary>Exports packages from the running demo (real crawls, real captures) and tampers with them.</summary>
internal static class EvidenceTestKit
{
    /// <summary>Exports alert <paramref name="alertId"/> of the demo, timestamped by <paramref name="tsa"/> if given.</summary>
    public static async Task<(byte[] Zip, ExportResult Result)> ExportAsync(DemoServerFixture demo, long alertId, LocalTsa? tsa, string chromium = EvidenceOptions.DefaultChromium, bool group = false, EvidenceOptions? settings = null)
    {
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var evidence = await services.GetRequiredService<EvidenceCollector>().CollectAsync(alertId, group, "取证员甲", CancellationToken.None);
        using var http = new HttpClient();
        var exporter = new EvidenceExporter(
            services.GetRequiredService<WatchDbContext>(),
            services.GetRequiredService<AuditLog>(),
            new ChromiumPageRenderer(chromium),
            TimeProvider.System,
            tsa is null ? null : new TimestampAuthority(http, tsa.Url),
            services.GetRequiredService<EvidenceSigningKey>(),
            settings);
        using var zip = new MemoryStream();
        var result = await exporter.ExportAsync(evidence!, zip, "127.0.0.1", CancellationToken.None);
        return (zip.ToArray(), result);
    }

    /// <summary>The first alert raised by the demo's own crawl (a real capture), not one a test ingested by hand.</summary>
    public static async Task<long> FirstCrawledAlertAsync(DemoServerFixture demo)
    {
        Assert.True(await demo.WaitForSeedAsync());
        await using var scope = demo.Server.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchDbContext>();
        return await db.Alerts
            .Where(a => db.Posts.Any(p => p.Id == a.PostId && p.WarcFile.StartsWith("ExamNetWatch-")))
            .OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
    }

    public static VerificationReport Verify(byte[] zip, VerificationTrust? trust = null)
    {
        using var stream = new MemoryStream(zip);
        return EvidenceVerifier.Verify(stream, trust ?? VerificationTrust.None);
    }

    /// <summary>The package without <paramref name="name"/>.</summary>
    public static byte[] Remove(byte[] zip, string name)
    {
        var entries = Entries(zip);
        Assert.True(entries.Remove(name));
        return Zip(entries);
    }

    /// <summary>The names and contents of a package's files.</summary>
    public static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var copy = new MemoryStream();
            using (var stream = e.Open())
            {
                stream.CopyTo(copy);
            }

            return copy.ToArray();
        });
    }

    /// <summary>The package with <paramref name="name"/> changed by <paramref name="change"/> and everything else as it was.</summary>
    public static byte[] Rewrite(byte[] zip, string name, Func<byte[], byte[]> change)
    {
        var entries = Entries(zip);
        entries[name] = change(entries[name]);
        return Zip(entries);
    }

    /// <summary>The package with one more entry, <paramref name="name"/>, holding <paramref name="bytes"/>, first or last.</summary>
    public static byte[] AddEntry(byte[] zip, string name, byte[] bytes, bool first)
    {
        var entries = Entries(zip).ToList();
        entries.Insert(first ? 0 : entries.Count, KeyValuePair.Create(name, bytes));
        return Zip(entries);
    }

    /// <summary>A ZIP of <paramref name="entries"/>, in their order.</summary>
    public static byte[] Zip(IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>Flips one bit of the byte in the middle.</summary>
    public static byte[] FlipMiddleByte(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }

    /// <summary>The offsets of a ZIP's compressed file data: everything but local headers, data descriptors and the central directory.</summary>
    public static List<int> CompressedDataPositions(byte[] zip)
    {
        var excluded = new bool[zip.Length];
        var central = zip.Length;
        for (var i = 0; i + 30 <= zip.Length; i++)
        {
            if (zip[i] != 0x50 || zip[i + 1] != 0x4B)
            {
                continue;
            }

            if (zip[i + 2] == 0x03 && zip[i + 3] == 0x04)
            {
                var header = 30 + BitConverter.ToUInt16(zip, i + 26) + BitConverter.ToUInt16(zip, i + 28);
                Array.Fill(excluded, true, i, Math.Min(header, zip.Length - i));
            }
            else if (zip[i + 2] == 0x07 && zip[i + 3] == 0x08)
            {
                Array.Fill(excluded, true, i, Math.Min(24, zip.Length - i));
            }
            else if (zip[i + 2] == 0x01 && zip[i + 3] == 0x02 && central == zip.Length)
            {
                central = i;
            }
        }

        return [.. Enumerable.Range(0, central).Where(i => !excluded[i])];
    }
}
