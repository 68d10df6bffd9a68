using System.Net;
using System.Text;
using ExamNetWatch.Indexer.Detection;
using Ganss.Xss;

namespace ExamNetWatch.Dashboard.Rendering;

/// <summary>
/// Renders a post's text as HTML with the detection matches marked: the text is HTML-encoded piece by piece,
/// matches wrapped in &lt;mark&gt;, and the result passed through HtmlSanitizer, so crawled content never
/// reaches the page as live markup.
/// </summary>
public sealed class PostHighlighter(HtmlSanitizer sanitizer)
{
    /// <summary>Returns sanitised HTML of <paramref name="text"/> with the matches of <paramref name="field"/> marked.</summary>
    public string Render(string text, string field, IEnumerable<TermMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(matches);
        var html = new StringBuilder(text.Length + 64);
        var at = 0;
        foreach (var match in matches.Where(m => m.Field == field).OrderBy(m => m.Start).ThenByDescending(m => m.End))
        {
            if (match.Start < at || match.End > text.Length)
            {
                continue; // Overlaps a match already marked, or does not fit this text.
            }

            html.Append(WebUtility.HtmlEncode(text[at..match.Start]))
                .Append("<mark title=\"").Append(WebUtility.HtmlEncode(match.Term)).Append("\">")
                .Append(WebUtility.HtmlEncode(text[match.Start..match.End]))
                .Append("</mark>");
            at = match.End;
        }

        html.Append(WebUtility.HtmlEncode(text[at..]));
        return sanitizer.Sanitize(html.ToString());
    }
}
