using System.ComponentModel.DataAnnotations;

namespace ExamNetWatch.Crawler.Captures;

/// <summary>Options of the WARC capture store.</summary>
public sealed class CaptureOptions
{
    /// <summary>Gets or sets the size past which a new WARC file is begun.</summary>
    /// <value>The default value is 1 GiB.</value>
    [Range(1024L, 64L * 1024 * 1024 * 1024)]
    public long MaxWarcFileBytes { get; set; } = 1024L * 1024 * 1024;
}
