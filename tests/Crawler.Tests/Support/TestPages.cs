using AngleSharp.Html.Parser;

namespace ExamNetWatch.Crawler.Tests.Support;

/// <summary>The saved and hand-made pages under <c>Pages/</c> (see its README), parsed.</summary>
internal static class TestPages
{
    public static AngleSharp.Html.Dom.IHtmlDocument Load(string file) =>
        new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pages", file)));
}
