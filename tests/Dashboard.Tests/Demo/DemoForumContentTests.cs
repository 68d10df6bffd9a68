using ExamNetWatch.Dashboard.Demo;
using ExamNetWatch.Indexer.Detection;
using Microsoft.Extensions.Time.Testing;

namespace ExamNetWatch.Dashboard.Tests.Demo;

public sealed class DemoForumContentTests
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());

    [Fact]
    public void Seed_AboutFortyOrdinaryAndTenCheatingPosts()
    {
        var posts = new DemoForumContent(new FakeTimeProvider()).AllPosts;

        Assert.InRange(posts.Count(p => !p.IsCheating), 35, 45);
        Assert.InRange(posts.Count(p => p.IsCheating), 8, 12);
    }

    [Fact]
    public void Seed_EveryCheatingPostAlertsAndNoOrdinaryPostDoes()
    {
        var content = new DemoForumContent(new FakeTimeProvider());

        foreach (var post in content.AllPosts)
        {
            var thread = content.Thread(post.ThreadId)!;
            var isOpening = thread.Posts[0].Id == post.Id;
            var result = Detector.Detect(isOpening ? thread.Title : null, post.Text);
            Assert.True(post.IsCheating == result.IsAlert, $"post {post.Id} ({thread.Title}): {result.Severity} {result.Score}");
        }
    }

    [Fact]
    public void PublishNextLive_RunsThroughTheScriptWithSomeCheatingPosts()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 20, 8, 0, 0, TimeSpan.Zero));
        var content = new DemoForumContent(time);
        var before = content.AllPosts.Count;

        var live = Enumerable.Range(0, 9).Select(_ =>
        {
            time.Advance(TimeSpan.FromSeconds(20));
            return content.PublishNextLive(time.GetUtcNow());
        }).ToList();

        Assert.Equal(before + 9, content.AllPosts.Count);
        Assert.Contains(live, p => p.IsCheating);
        Assert.Contains(live, p => !p.IsCheating);
        Assert.Equal(live.Select(p => p.Id).Order(), live.Select(p => p.Id));
        Assert.Equal(live[^1].PostedAt, content.Threads[0].LastReplyAt);
    }
}
