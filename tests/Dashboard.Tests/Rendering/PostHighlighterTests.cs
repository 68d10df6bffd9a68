using ExamNetWatch.Dashboard.Rendering;
using ExamNetWatch.Indexer.Detection;
using Ganss.Xss;

namespace ExamNetWatch.Dashboard.Tests.Rendering;

public sealed class PostHighlighterTests
{
    private static readonly PostHighlighter Highlighter = new(NewSanitizer());

    [Fact]
    public void Render_PostWithScriptAndMatch_ScriptShownAsTextAndMatchMarked()
    {
        const string text = "<script>alert(1)</script><img src=x onerror=alert(2)> 出售作弊器";
        var match = new TermMatch("text", text.IndexOf("作弊器", StringComparison.Ordinal), text.Length, "作弊器", "作弊器", Category.Device);

        var html = Highlighter.Render(text, "text", [match]);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains(">作弊器</mark>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MatchOfTheOtherField_IsNotMarkedHere()
    {
        var html = Highlighter.Render("作弊器", "text", [new TermMatch("title", 0, 3, "作弊器", "作弊器", Category.Device)]);

        Assert.Equal("作弊器", html);
    }

    private static HtmlSanitizer NewSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Add("mark");
        return sanitizer;
    }
}
