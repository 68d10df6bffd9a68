using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Sources;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>Boards: the sweep of a board's history, its newest pages, and the boards an index leads to.</summary>
public sealed partial class ForumCrawler
{
    private sealed partial class Run
    {
        /// <summary>Gets the sweep progress of each board swept in this crawl, as last saved.</summary>
        public List<BoardProgress> Sweeps { get; } = [];

        private void Record(BoardProgress sweep)
        {
            var at = Sweeps.FindIndex(s => s.BoardUrl == sweep.BoardUrl);
            if (at < 0)
            {
                Sweeps.Add(sweep);
            }
            else
            {
                Sweeps[at] = sweep;
            }

            progress?.Invoke(new CrawlProgress(sweep, Pages, Posts));
        }

        /// <summary>
        /// Reads a board from <paramref name="url"/>, its first page. A board never crawled is swept: every page, oldest
        /// last (back to <see cref="CrawlTarget.Since"/>), its progress saved after each page. A board already swept is
        /// read from its newest page on to the crawl's bounds or, with <see cref="CrawlerOptions.StopAtUnchangedPage"/>,
        /// until a page brings nothing new; an unfinished sweep then carries on from where the last crawl stopped.
        /// <see cref="CrawlerOptions.MaxBoardPages"/> bounds the board pages of one crawl.
        /// </summary>
        private async Task BoardAsync(IForumProfile profile, Uri url, BoardPage board, CancellationToken cancellationToken)
        {
            var known = await state.GetBoardAsync(target.SourceId, url.AbsoluteUri, cancellationToken);
            var sweep = known ?? new BoardProgress(url.AbsoluteUri, null, false, 0, null, 0, 0, TimeSpan.Zero, crawler._time.GetUtcNow());
            var sweeping = known is null;
            var caughtUp = false;
            for (var pages = 1; ; pages++)
            {
                var started = crawler._time.GetTimestamp();
                var (posts, visited) = (Posts, _visitedThreads.Count);
                var page = await ThreadsOfAsync(profile, url, board, cancellationToken);
                if (sweeping)
                {
                    var done = board.NextPage is null || page.AllBeforeSince;
                    sweep = sweep with
                    {
                        SweepNextPageUrl = done ? null : board.NextPage!.AbsoluteUri,
                        SweepDone = done,
                        PagesRead = sweep.PagesRead + 1,
                        PagesTotal = board.PageCount ?? sweep.PagesTotal,
                        Threads = sweep.Threads + (_visitedThreads.Count - visited),
                        Posts = sweep.Posts + (Posts - posts),
                        Elapsed = sweep.Elapsed + crawler._time.GetElapsedTime(started),
                        UpdatedAt = crawler._time.GetUtcNow(),
                    };
                    if (page.Stopped)
                    {
                        // A page left halfway is read again by the next crawl (its threads read now are unchanged then).
                        return;
                    }

                    await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                    Record(sweep);
                    if (done)
                    {
                        return;
                    }
                }
                else if (page.Stopped)
                {
                    return;
                }

                var next = board.NextPage;
                if (!sweeping && !crawler._options.StopAtUnchangedPage)
                {
                    // Every crawl reads the board on, to its end or a bound (see CrawlerOptions.StopAtUnchangedPage); an
                    // unfinished sweep is carried on at the first page that brings nothing new, or at the board's end.
                    if (!sweep.SweepDone && sweep.SweepNextPageUrl is { } resume && (page.Changed == 0 || next is null))
                    {
                        (next, sweeping) = (new Uri(resume), true);
                    }
                    else if (next is null)
                    {
                        return;
                    }
                }
                else if (!sweeping && page.Changed > 0 && next is not null)
                {
                    // Still finding news: where this pass goes next is saved, so a crawl stopped before it gets there
                    // is carried on by the next one, whatever that one finds on the first page.
                    sweep = sweep with { CatchUpPageUrl = next.AbsoluteUri, UpdatedAt = crawler._time.GetUtcNow() };
                    await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                }
                else if (!sweeping)
                {
                    if (sweep.CatchUpPageUrl is { } catchUp && !caughtUp && catchUp != url.AbsoluteUri)
                    {
                        // An earlier crawl stopped while its newest-pages pass was still finding news: carry it on.
                        (next, caughtUp) = (new Uri(catchUp), true);
                    }
                    else
                    {
                        // The newest pages are read; an unfinished sweep carries on where it stopped.
                        if (sweep.CatchUpPageUrl is not null)
                        {
                            sweep = sweep with { CatchUpPageUrl = null, UpdatedAt = crawler._time.GetUtcNow() };
                            await state.SaveBoardAsync(target.SourceId, sweep, cancellationToken);
                        }

                        if (sweep.SweepDone || sweep.SweepNextPageUrl is null)
                        {
                            return;
                        }

                        (next, sweeping) = (new Uri(sweep.SweepNextPageUrl), true);
                    }
                }

                if (pages >= crawler._options.MaxBoardPages)
                {
                    Reached("Crawler:MaxBoardPages", crawler._options.MaxBoardPages, next!);
                    return;
                }

                if (await FetchAsync(next!, null, null, cancellationToken) is not { } fetched || !IsOk(fetched.Page))
                {
                    return;
                }

                using var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken);
                (url, board) = (fetched.Page.Url, profile.ParseBoard(document, fetched.Page.Url));
            }
        }

        /// <summary>Reads the threads of one board page (and queues the boards it leads to).</summary>
        private async Task<BoardPageRead> ThreadsOfAsync(IForumProfile profile, Uri url, BoardPage board, CancellationToken cancellationToken)
        {
            if (board.Threads.Count == 0 && board.Boards.Count == 0)
            {
                Fail(url, $"no thread or board links found with the {profile.Name} profile");
            }

            // The boards an index or sub-forum list leads to are read after this one.
            foreach (var link in board.Boards)
            {
                if (!target.Scope.Allows(link))
                {
                    Refusals.Add(new CrawlFailure(link, "outside the source's authorised scope"));
                }
                else if (_visitedBoards.Count >= crawler._options.MaxBoards)
                {
                    if (!_visitedBoards.Contains(link.AbsoluteUri) && _boardsLeft.Add(link.AbsoluteUri))
                    {
                        Reached("Crawler:MaxBoards", crawler._options.MaxBoards, link);
                    }
                }
                else if (_visitedBoards.Add(link.AbsoluteUri))
                {
                    _pendingBoards.Enqueue(link);
                }
            }

            var (changed, dated, old) = (0, 0, 0);
            foreach (var thread in board.Threads)
            {
                if (thread.LastActive is { } active)
                {
                    dated++;
                    if (target.Since is { } since && active < since)
                    {
                        // Older than the sweep reaches back: not read.
                        old++;
                        continue;
                    }
                }

                if (_visitedThreads.Count >= crawler._options.MaxThreads)
                {
                    Reached("Crawler:MaxThreads", crawler._options.MaxThreads, thread.Url);
                    return new BoardPageRead(changed, Stopped: true, AllBeforeSince: false);
                }

                if (!target.Scope.Allows(thread.Url))
                {
                    Refusals.Add(new CrawlFailure(thread.Url, "outside the source's authorised scope"));
                    continue;
                }

                changed += await ThreadAsync(profile, thread.Url, thread.Replies, cancellationToken) ? 1 : 0;
            }

            // A page whose every thread is dated and older than the sweep's date ends the sweep.
            return new BoardPageRead(changed, Stopped: false, AllBeforeSince: target.Since is not null && dated == board.Threads.Count && old == dated && dated > 0);
        }

        private readonly record struct BoardPageRead(int Changed, bool Stopped, bool AllBeforeSince);
    }
}
