using ExamNetWatch.Crawler.Captures;
using ExamNetWatch.Crawler.Fetching;
using ExamNetWatch.Crawler.Profiles;
using ExamNetWatch.Crawler.Faults;

namespace ExamNetWatch.Crawler.Crawling;

/// <summary>Threads: which to read, their pages from the last one read, and their posts handed to the sink.</summary>
public sealed partial class ForumCrawler
{
    private sealed partial class Run
    {
        private async Task ThreadPageAsync(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, AngleSharp.Dom.IDocument document, CancellationToken cancellationToken)
        {
            if (Parse(profile, fetched, document) is not { } thread || !_visitedThreads.Add(thread.ThreadId))
            {
                return;
            }

            await DeliverAsync(profile, fetched, thread, cancellationToken);
            if (thread.NextPage is not null)
            {
                // An entry page that is itself a thread's first page: the rest of the thread is read as any thread's.
                await PagesAsync(profile, thread.ThreadId, thread.NextPage, replies: null, await state.GetThreadAsync(target.SourceId, thread.ThreadId, cancellationToken), cancellationToken);
            }
        }

        /// <summary>Reads a thread unless the board shows it unchanged; returns whether it was new or changed (so read).</summary>
        private async Task<bool> ThreadAsync(IForumProfile? profile, Uri url, int? replies, CancellationToken cancellationToken)
        {
            if (ProfileRegistry.ThreadIdOf(url, profile) is not { } tid || !_visitedThreads.Add(tid))
            {
                return false;
            }

            var known = await state.GetThreadAsync(target.SourceId, tid, cancellationToken);
            if (known is not null && replies is not null && known.ReplyCount == replies)
            {
                Unchanged++;
                return false;
            }

            await PagesAsync(profile, tid, url, replies, known, cancellationToken);
            return true;
        }

        /// <summary>Reads a thread's pages from <paramref name="url"/> (or, for a known thread, from its last page read), saving progress after each.</summary>
        private async Task PagesAsync(IForumProfile? profile, string tid, Uri url, int? replies, ThreadProgress? known, CancellationToken cancellationToken)
        {
            // Earlier pages of a known thread are full and were read; start again from the last one.
            Uri? next = known?.LastPageUrl is { } last ? new Uri(last) : url;
            var (etag, lastModified) = (known?.ETag, known?.LastModified);
            for (var page = 0; next is not null && page < crawler._options.MaxThreadPages; page++)
            {
                if (await FetchAsync(next, etag, lastModified, cancellationToken) is not { } fetched)
                {
                    return;
                }

                (etag, lastModified) = (null, null);
                if (fetched.Page.StatusCode == 304)
                {
                    await SaveAsync(tid, replies, known!.LastPageUrl, known.ETag, known.LastModified, cancellationToken);
                    return;
                }

                if (!IsOk(fetched.Page))
                {
                    return;
                }

                ThreadPage? thread;
                using (var document = await _parser.ParseDocumentAsync(fetched.Page.Html, cancellationToken))
                {
                    profile ??= ProfileRegistry.Detect(document, fetched.Page.Url).Profile;
                    thread = profile is null ? null : Parse(profile, fetched, document);
                    if (profile is null)
                    {
                        Fail(fetched.Page.Url, "no forum profile reads this page; kept raw in " + fetched.Capture.WarcFile);
                    }
                }

                if (thread is null)
                {
                    return;
                }

                await DeliverAsync(profile!, fetched, thread, cancellationToken);
                next = thread.NextPage;
                // The reply count is only recorded once the last page is read, so a crawl stopped halfway resumes.
                await SaveAsync(tid, next is null ? replies : known?.ReplyCount, fetched.Page.Url.AbsoluteUri, fetched.Page.Header("ETag"), fetched.Page.Header("Last-Modified"), cancellationToken);
                if (next is not null && page + 1 >= crawler._options.MaxThreadPages)
                {
                    Reached("Crawler:MaxThreadPages", crawler._options.MaxThreadPages, next);
                }
            }
        }

        private async Task DeliverAsync(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, ThreadPage thread, CancellationToken cancellationToken)
        {
            var threadUrl = profile.ThreadUrlOf(fetched.Page.Url);
            foreach (var post in thread.Posts)
            {
                Posts++;
                KillPoint.Reach("crawl.post-handing-over");
                await sink.AcceptAsync(ToCrawledPost(fetched, thread, post) with { ThreadUrl = threadUrl }, cancellationToken);
            }
        }

        private ThreadPage? Parse(IForumProfile profile, (FetchedPage Page, CaptureRef Capture) fetched, AngleSharp.Dom.IDocument document)
        {
            try
            {
                return profile.ParseThread(document, fetched.Page.Url);
            }
            catch (FormatException ex)
            {
                Log.ParseFailed(crawler._logger, fetched.Page.Url, profile.Name);
                Fail(fetched.Page.Url, ex.Message + " Kept raw in " + fetched.Capture.WarcFile + ".");
                return null;
            }
        }

        private CrawledPost ToCrawledPost((FetchedPage Page, CaptureRef Capture) fetched, ThreadPage thread, ExtractedPost post) => new(
            CrawledPost.MakeStableId(target.SourceId, thread.ThreadId, post.PostId),
            target.SourceId,
            thread.ThreadId,
            post.PostId,
            fetched.Page.Url,
            thread.Title,
            post.Author,
            post.Floor,
            post.PostedAt,
            post.Text,
            post.Html,
            fetched.Page.FetchedAt,
            fetched.Capture)
        {
            AuthorId = post.AuthorId,
        };

        private Task SaveAsync(string tid, int? replies, string? lastPage, string? etag, string? lastModified, CancellationToken cancellationToken) =>
            state.SaveThreadAsync(target.SourceId, new ThreadProgress(tid, replies, lastPage, etag, lastModified, crawler._time.GetUtcNow()), cancellationToken);
    }
}
