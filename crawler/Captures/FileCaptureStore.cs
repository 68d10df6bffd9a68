using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>
/// A content-addressed capture store on disk: <c>{root}/{sha[0..2]}/{sha}.body</c> holds the raw response body
/// and <c>{sha}.{fetch time}.json</c> beside it records each fetch that returned it (URL, status, headers, time).
/// The same body fetched twice is stored once.
/// </summary>
public sealed class FileCaptureStore(string root) : ICaptureStore
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Gets the directory the captures live in.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <inheritdoc />
    public async Task<string> SaveAsync(FetchedPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var sha = Convert.ToHexStringLower(SHA256.HashData(page.Body.Span));
        var folder = Path.Combine(Root, sha[..2]);
        Directory.CreateDirectory(folder);
        var bodyPath = Path.Combine(folder, sha + ".body");
        if (!File.Exists(bodyPath))
        {
            // Write then rename, so a crash never leaves a half-written capture under its hash.
            var temp = bodyPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temp, page.Body.ToArray(), cancellationToken);
            File.Move(temp, bodyPath, overwrite: true);
        }

        var record = new
        {
            url = page.Url.ToString(),
            status = page.StatusCode,
            contentType = page.ContentType,
            fetchedAtUtc = page.FetchedAt.UtcDateTime,
            headers = page.Headers,
            sha256 = sha,
        };
        var stamp = page.FetchedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var metaPath = Path.Combine(folder, $"{sha}.{stamp}.json");
        await File.WriteAllTextAsync(metaPath, JsonSerializer.Serialize(record, JsonOptions), Encoding.UTF8, cancellationToken);
        return sha;
    }

    /// <inheritdoc />
    public Stream? Open(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            return null;
        }

        var path = Path.Combine(Root, sha256[..2], sha256.ToLowerInvariant() + ".body");
        return File.Exists(path) ? File.OpenRead(path) : null;
    }
}
