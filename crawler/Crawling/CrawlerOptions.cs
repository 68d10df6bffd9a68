using System.ComponentModel.DataAnnotations;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>Bounds of one crawl, so a hostile or huge site cannot hold a job forever.</summary>
public sealed class CrawlerOptions
{
    /// <summary>
    /// Gets or sets how many pages of one board listing one crawl reads. A first crawl sweeps the board's history up to
    /// this (and <see cref="MaxPages"/>, <see cref="MaxThreads"/>); later crawls read the newest pages, then carry an
    /// unfinished sweep on (see <see cref="StopAtUnchangedPage"/>).
    /// </summary>
    /// <value>The default value is 1000.</value>
    [Range(1, 100_000)]
    public int MaxBoardPages { get; set; } = 1000;

    /// <summary>Gets or sets how many pages of one thread are read.</summary>
    /// <value>The default value is 50.</value>
    [Range(1, 10000)]
    public int MaxThreadPages { get; set; } = 50;

    /// <summary>Gets or sets how many pages one crawl fetches in all.</summary>
    /// <value>The default value is 10000.</value>
    [Range(1, 1_000_000)]
    public int MaxPages { get; set; } = 10_000;

    /// <summary>
    /// Gets or sets whether a crawl of a board already swept stops at the first page that brings nothing new (then
    /// carries an unfinished sweep on). Off by default: every crawl reads the board up to <see cref="MaxBoardPages"/>,
    /// <see cref="MaxThreads"/> and <see cref="MaxPages"/> — slower on large boards, but a thread shown below an
    /// unchanged page (a board not sorted by last reply, a crawl stopped halfway) is still found.
    /// </summary>
    public bool StopAtUnchangedPage { get; set; }

    /// <summary>Gets or sets how many boards one crawl reads: the entry's, and those a board index or sub-forum list leads to.</summary>
    /// <value>The default value is 200.</value>
    [Range(1, 100000)]
    public int MaxBoards { get; set; } = 200;

    /// <summary>Gets or sets how many threads one crawl visits.</summary>
    /// <value>The default value is 500.</value>
    [Range(1, 100000)]
    public int MaxThreads { get; set; } = 500;
}
