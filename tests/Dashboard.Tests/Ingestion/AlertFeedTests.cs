using System.Globalization;
using System.Text;
using ExamNetWatch.Dashboard.Ingestion;
using ExamNetWatch.Dashboard.Live;
using ExamNetWatch.Dashboard.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace ExamNetWatch.Dashboard.Tests.Ingestion;

/// <summary>Ingestion announces codes; each watcher's live queue names them in that watcher's language, whoever ran the crawl.</summary>
public sealed class AlertFeedTests
{
    [Fact]
    public async Task ANewAlert_IsLabelledInTheLanguageOfEachPageThatReceivesIt()
    {
        var feed = new AlertBroadcaster();
        using var stop = new CancellationTokenSource();
        var english = Watch(feed, "en", stop.Token);
        var chinese = Watch(feed, "zh-CN", stop.Token);
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); feed.Subscribers < 2 && wait.Elapsed < TimeSpan.FromSeconds(10);)
        {
            await Task.Delay(20);
        }

        // Published from a crawl that runs under the Chinese UI culture.
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        try
        {
            ((IAlertFeed)feed).Publish(new NewAlert(7, 4, "出售作弊器", "贴吧", "device,paper_leak", "作弊器", new DateTime(2026, 6, 20, 1, 0, 0, DateTimeKind.Utc), true));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        var inEnglish = await english.Until("event: alert");
        var inChinese = await chinese.Until("event: alert");
        await stop.CancelAsync();

        var en = Event(inEnglish);
        var zh = Event(inChinese);
        Assert.Equal("Critical", en.GetProperty("severityLabel").GetString());
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", en.GetProperty("categories").GetString()!);
        Assert.Equal("严重", zh.GetProperty("severityLabel").GetString());
        Assert.Equal("作弊器材、泄题/答案", zh.GetProperty("categories").GetString());
        Assert.Equal("2026-06-20 09:00:00", en.GetProperty("time").GetString());
        Assert.Equal("出售作弊器", en.GetProperty("title").GetString());
    }

    private static System.Text.Json.JsonElement Event(string stream)
    {
        var data = stream.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        return System.Text.Json.JsonDocument.Parse(data).RootElement;
    }

    private static Watcher Watch(AlertBroadcaster feed, string culture, CancellationToken cancellationToken)
    {
        var watcher = new Watcher();
        var context = new DefaultHttpContext();
        context.Response.Body = watcher.Body;
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            // The streaming request runs in the watcher's culture, as request localization sets it.
            watcher.Streaming = Task.Run(() => feed.StreamAsync(context.Response, cancellationToken), CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        return watcher;
    }

    private sealed class Watcher
    {
        public CapturedStream Body { get; } = new();

        public Task Streaming { get; set; } = Task.CompletedTask;

        public async Task<string> Until(string marker)
        {
            for (var wait = System.Diagnostics.Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
            {
                var text = Body.Text();
                var at = text.IndexOf(marker, StringComparison.Ordinal);
                if (at >= 0 && text.IndexOf("\n\n", at, StringComparison.Ordinal) > at)
                {
                    return text;
                }
            }

            return Body.Text();
        }
    }
}
