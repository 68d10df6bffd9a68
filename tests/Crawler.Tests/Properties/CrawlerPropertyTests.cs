using System.Text;
using AngleSharp.Html.Parser;
using CsCheck;
using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;

namespace ExamNetWatch.Crawler.Tests.Properties;

/// <summary>Generated and mutated inputs (CsCheck; each property at least 1,000): hostile input never crashes or escapes.</summary>
public sealed class CrawlerPropertyTests
{
    private const int Iterations = 1_000;

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly string[] Segments = ["a", "bbs", "..", ".", "%2e", "%2E", "%2e%2e", ".%2e", "%2f", "%2F", "%5c", "%5C", "%25", "%252e", "%252f", "%00", "中考", "%E4%B8%AD", "x%20y", "thread-1.html", "", "forum.php"];

    [Fact]
    public void Scope_GeneratedPaths_AnAllowedUrlNeverLeavesTheFolderAsAServerReadsIt()
    {
        var scope = CrawlScope.Parse(["http://bbs.test/bbs/"]);
        var paths = Pick(Segments).Array[1, 8].Select(parts => "http://bbs.test/bbs/" + string.Join('/', parts));
        var allowed = 0;

        paths.Sample(text =>
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var url))
            {
                return;
            }

            if (scope.Allows(url))
            {
                Interlocked.Increment(ref allowed);
                var decoded = Uri.UnescapeDataString(url.AbsolutePath);
                Assert.StartsWith("/bbs/", decoded, StringComparison.Ordinal);
                Assert.DoesNotContain(decoded.Split('/'), s => s is ".." or ".");
                Assert.DoesNotContain('\\', decoded);
            }
        }, iter: Iterations);

        Assert.True(allowed > 0, "some generated paths are legitimately inside the folder");
    }

    [Fact]
    public void Decode_RandomBytesAndCharsets_AlwaysGivesText()
    {
        var charsets = Pick<string?>(null, "utf-8", "gbk", "GB2312", "gb18030", "big5", "utf-16", "iso-8859-1", "x-unknown", "", "utf-8\"; x=\"");
        var bodies = Gen.OneOf(
            Gen.Byte.Array[0, 2_000],
            Gen.String[Gen.Char["中考答案<>meta charset=gbk\"'/ \u00e9\uFEFF"], 0, 500].Select(s => Encoding.UTF8.GetBytes("<meta charset=\"gbk\">" + s)));

        Gen.Select(bodies, charsets).Sample((body, charset) =>
        {
            var text = PageDecoder.Decode(body, charset);
            Assert.NotNull(text);
        }, iter: Iterations);
    }

    [Fact]
    public void Extract_MutatedRealPages_EveryProfileEitherReadsThemOrSaysWhy()
    {
        var pages = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Pages"), "*.html", SearchOption.AllDirectories).Select(File.ReadAllText).ToArray();
        Assert.NotEmpty(pages);
        var parser = new HtmlParser();
        var mutated = Gen.Select(Gen.Int[0, pages.Length - 1], Gen.Double[0, 1], Gen.Double[0, 1], Pick("", "<", "</div>", "<div class=\"t_f\" id=\"postmessage_", "\0", "<table>", "\"", "<a href=\"forum.php?mod=viewthread&tid=", "]]>", "<!--"))
            .Select((page, from, length, insert) =>
            {
                var text = pages[page];
                var start = (int)(from * text.Length);
                var cut = (int)(length * Math.Min(2_000, text.Length - start));
                return text[..start] + insert + text[(start + cut)..];
            });
        var url = new Uri("http://bbs.test/forum.php?mod=viewthread&tid=1");

        mutated.Sample(html =>
        {
            using var document = parser.ParseDocument(html);
            var (profile, kind) = ProfileRegistry.Detect(document, url);
            if (profile is not null && kind == PageKind.Thread)
            {
                try
                {
                    var thread = profile.ParseThread(document, url);
                    Assert.All(thread.Posts, p => Assert.NotNull(p.Text));
                }
                catch (FormatException e)
                {
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                }
            }
            else if (profile is not null && kind == PageKind.Board)
            {
                Assert.NotNull(profile.ParseBoard(document, url).Threads);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void WarcReader_MutatedCaptures_ReadOrRefusedAsNotWarc()
    {
        var folder = Directory.CreateTempSubdirectory("enw-warc-fuzz-").FullName;
        try
        {
            string file;
            using (var writer = new WarcWriter(folder, "fuzz", 10 * 1024 * 1024, TimeProvider.System, "test"))
            {
                var record = new WarcRecord("response", Guid.NewGuid(), TimeProvider.System.GetUtcNow(), [KeyValuePair.Create("WARC-Target-URI", "http://bbs.test/t/1")], Encoding.UTF8.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>出售答案</p>"));
                file = writer.Write([record])[0].File;
            }

            var original = File.ReadAllBytes(Path.Combine(folder, file));
            var target = Path.Combine(folder, "mutated.warc.gz");
            Gen.Select(Gen.Int[0, original.Length - 1], Gen.Byte, Gen.Int[0, 3]).Sample((position, value, mode) =>
            {
                var bytes = mode switch
                {
                    0 => Flip(original, position, value),
                    1 => original[..position],
                    2 => [.. original[..position], .. original[position..], .. original[..Math.Min(40, original.Length)]],
                    _ => [.. original, .. original[position..]],
                };
                File.WriteAllBytes(target, bytes);
                try
                {
                    foreach (var read in WarcReader.ReadAll(target))
                    {
                        Assert.NotNull(read.RecordId);
                    }
                }
                catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
                {
                    // Refused as not (or no longer) WARC: what the evidence verifier reports.
                }
            }, iter: Iterations, threads: 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static byte[] Flip(byte[] bytes, int position, byte value)
        {
            var copy = (byte[])bytes.Clone();
            copy[position] ^= (byte)(value | 1);
            return copy;
        }
    }
}
