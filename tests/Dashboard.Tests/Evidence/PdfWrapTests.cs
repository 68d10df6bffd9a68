using ExamNetWatch.Dashboard.Evidence;
using SkiaSharp;

namespace ExamNetWatch.Dashboard.Tests.Evidence;

/// <summary>Line breaking of the evidence PDFs, for the text crawled pages put in them.</summary>
public sealed class PdfWrapTests : IDisposable
{
    private readonly SKTypeface _typeface = SKTypeface.FromFile(PdfWriter.FontPath, 0);
    private readonly SKFont _font;

    public PdfWrapTests() => _font = new SKFont(_typeface, 10);

    public void Dispose()
    {
        _font.Dispose();
        _typeface.Dispose();
    }

    [Fact]
    public void Wrap_ChineseParagraph_LinesFitTheWidthAndKeepEveryCharacter()
    {
        var text = string.Concat(Enumerable.Repeat("出售2026年中考各科答案，考前一天发到手机，加微信 zk2026da 私聊。", 12)) + "\n\n第二段";

        var lines = PdfWriter.Wrap(text, _font, 300);

        Assert.All(lines, l => Assert.True(_font.MeasureText(l) <= 300 || l.Length == 1, l));
        Assert.Equal(text.Replace("\n", "", StringComparison.Ordinal), string.Concat(lines));
        Assert.Equal(string.Empty, lines[^2]);
        Assert.Equal("第二段", lines[^1]);
        Assert.True(lines.Count > 10);
    }

    [Fact]
    public void Wrap_TitleOfSixtyThousandZeroWidthCharacters_IsCutIntoBoundedLinesLosingNothing()
    {
        // A hostile title: invisible characters take no width, so only the length bound ends a line.
        var title = "出售答案" + new string('\u200B', 60_000) + "🎓加群";

        var lines = PdfWriter.Wrap(title, _font, 480);

        Assert.All(lines, l => Assert.InRange(l.Length, 1, PdfWriter.MaxLineChars));
        Assert.Equal(title, string.Concat(lines));
        Assert.InRange(lines.Count, 60_000 / PdfWriter.MaxLineChars, (60_000 / PdfWriter.MaxLineChars) + 2);
        Assert.DoesNotContain(lines, l => char.IsHighSurrogate(l[^1]));
    }
}
