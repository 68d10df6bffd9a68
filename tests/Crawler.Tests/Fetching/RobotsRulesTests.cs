using ExamNetWatch.Crawler.Fetching;

namespace ExamNetWatch.Crawler.Tests.Fetching;

public sealed class RobotsRulesTests
{
    private const string Discuz = """
        #
        # robots.txt for Discuz! X3
        #
        User-agent: *
        Disallow: /api/
        Disallow: /home.php?mod=spacecp
        Disallow: /forum.php?mod=post
        Allow: /forum.php?mod=post&action=view
        Disallow: /*.php?*sid=
        Disallow: /search.php$
        Crawl-delay: 5

        User-agent: BadBot
        User-agent: ExamNetWatch
        Disallow: /archiver/
        """;

    [Theory]
    [InlineData("http://bbs.test/forum.php?mod=viewthread&tid=1", "*", true)]
    [InlineData("http://bbs.test/forum.php?mod=post&action=newthread", "*", false)]
    [InlineData("http://bbs.test/forum.php?mod=post&action=view", "*", true)]
    [InlineData("http://bbs.test/forum.php?mod=viewthread&sid=abc", "*", false)]
    [InlineData("http://bbs.test/search.php", "*", false)]
    [InlineData("http://bbs.test/search.php?q=1", "*", true)]
    [InlineData("http://bbs.test/api/x", "*", false)]
    [InlineData("http://bbs.test/robots.txt", "*", true)]
    public void Allows_OtherAgents_FollowTheStarGroup(string url, string _, bool expected) =>
        Assert.Equal(expected, RobotsRules.Parse(Discuz, "SomeOtherCrawler").Allows(new Uri(url)));

    [Fact]
    public void Parse_GroupNamingOurToken_IsUsedInsteadOfTheStarGroup()
    {
        var rules = RobotsRules.Parse(Discuz, "ExamNetWatch");

        Assert.False(rules.Allows(new Uri("http://bbs.test/archiver/tid-1.html")));
        Assert.True(rules.Allows(new Uri("http://bbs.test/api/x")));
        Assert.Null(rules.CrawlDelay);
    }

    [Fact]
    public void Parse_StarGroupCrawlDelay_IsRead() =>
        Assert.Equal(TimeSpan.FromSeconds(5), RobotsRules.Parse(Discuz, "Other").CrawlDelay);

    [Fact]
    public void Parse_EmptyDisallow_AllowsEverything() =>
        Assert.True(RobotsRules.Parse("User-agent: *\nDisallow:\n", "ExamNetWatch").Allows(new Uri("http://bbs.test/forum.php")));
}
