using SkiaSharp;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>
/// A small flowing-layout PDF writer over SkiaSharp for Chinese documents: A4 pages, WenQuanYi Micro Hei embedded
/// (searchable text), headings, wrapped paragraphs, label/value lists and tables that break across pages.
/// </summary>
public sealed class PdfWriter : IDisposable
{
    /// <summary>Where Debian's fonts-wqy-microhei puts the font.</summary>
    public const string FontPath = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

    private const float Width = 595, Height = 842, Margin = 48, Bottom = Height - 56;
    private readonly SKDocument _document;
    private readonly SKTypeface _typeface;
    private readonly SKPaint _ink = new() { Color = SKColors.Black, IsAntialias = true };
    private readonly SKPaint _line = new() { Color = new SKColor(0x99, 0x99, 0x99), StrokeWidth = 0.5f, IsStroke = true };
    private readonly string _footer;
    private SKCanvas? _canvas;
    private float _y;
    private int _page;

    public PdfWriter(Stream output, string title, string footer, DateTime createdUtc)
    {
        if (!File.Exists(FontPath))
        {
            throw new InvalidOperationException($"The CJK font {FontPath} is missing: install Debian's fonts-wqy-microhei.");
        }

        _typeface = SKTypeface.FromFile(FontPath, 0) ?? throw new InvalidOperationException($"{FontPath} is not a font SkiaSharp can read.");
        _document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
        {
            Title = title,
            Creator = EvidenceFiles.Tool,
            Producer = EvidenceFiles.Tool,
            Creation = createdUtc,
            Modified = createdUtc,
        });
        _footer = footer;
        NewPage();
    }

    /// <summary>Writes a heading.</summary>
    public void Heading(string text, float size = 14)
    {
        Space(size * 0.6f);
        Paragraph(text, size);
        Space(2);
    }

    /// <summary>Writes a paragraph wrapped to the page width.</summary>
    public void Paragraph(string text, float size = 10, float indent = 0)
    {
        using var font = Font(size);
        foreach (var line in Wrap(text, font, Width - (2 * Margin) - indent))
        {
            Ensure(size * 1.5f);
            _canvas!.DrawText(line, Margin + indent, _y + size, SKTextAlign.Left, font, _ink);
            _y += size * 1.5f;
        }
    }

    /// <summary>Writes label: value pairs in two columns.</summary>
    public void Fields(IEnumerable<(string Label, string Value)> fields, float size = 10, float labelWidth = 110)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var font = Font(size);
        foreach (var (label, value) in fields)
        {
            var lines = Wrap(value, font, Width - (2 * Margin) - labelWidth);
            Ensure(size * 1.5f);
            _canvas!.DrawText(label, Margin, _y + size, SKTextAlign.Left, font, _ink);
            foreach (var line in lines)
            {
                Ensure(size * 1.5f);
                _canvas!.DrawText(line, Margin + labelWidth, _y + size, SKTextAlign.Left, font, _ink);
                _y += size * 1.5f;
            }
        }
    }

    /// <summary>
    /// Writes a table; <paramref name="widths"/> are fractions of the text width; rows wrap in their cells and break
    /// across pages. A row's optional note is written under it across the whole width (e.g. a hash, kept on one line).
    /// </summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<float> widths, float size = 8, Func<int, string?>? note = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(widths);
        var columns = widths.Select(w => w * (Width - (2 * Margin))).ToArray();
        using var font = Font(size);
        Row(headers, columns, font, size, null);
        var index = 0;
        foreach (var row in rows)
        {
            Row(row, columns, font, size, note?.Invoke(index++));
        }

        Space(4);
    }

    /// <summary>
    /// Draws an image (PNG or JPEG bytes) at the text width, continued across pages when it is taller than what is left
    /// of the page, up to <paramref name="maxPages"/> pages; returns whether the whole image was drawn (false: cut off at
    /// the page limit). The copy in the PDF is JPEG-encoded to keep the file small; the original stays beside it.
    /// </summary>
    /// <exception cref="ArgumentException">The bytes are not an image SkiaSharp can decode.</exception>
    public bool Image(byte[] encoded, int maxPages = 3)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var bitmap = SKBitmap.Decode(encoded) ?? throw new ArgumentException("not a PNG or JPEG image SkiaSharp can decode", nameof(encoded));
        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 85);
        using var image = SKImage.FromEncodedData(jpeg);
        var width = Width - (2 * Margin);
        var scale = width / bitmap.Width;
        var drawn = 0f;
        var pages = 0;
        using var paint = new SKPaint { IsAntialias = true };
        while (drawn < bitmap.Height)
        {
            // A slice shorter than 60 pt is not worth drawing: start it on the next page.
            Ensure(60);
            if (++pages > maxPages)
            {
                return false;
            }

            var slice = Math.Min(bitmap.Height - drawn, (Bottom - _y) / scale);
            var source = new SKRect(0, drawn, bitmap.Width, drawn + slice);
            var target = new SKRect(Margin, _y, Margin + width, _y + (slice * scale));
            _canvas!.Save();
            _canvas.ClipRect(target);
            _canvas.DrawImage(image, source, target, new SKSamplingOptions(SKFilterMode.Linear), paint);
            _canvas.Restore();
            _canvas.DrawRect(target, _line);
            _y += (slice * scale) + 4;
            drawn += slice;
        }

        return true;
    }

    /// <summary>Leaves vertical space.</summary>
    public void Space(float points)
    {
        _y += points;
        Ensure(0);
    }

    /// <summary>Finishes the document.</summary>
    public void Close()
    {
        Footer();
        _document.EndPage();
        _document.Close();
        _canvas = null;
    }

    public void Dispose()
    {
        _document.Dispose();
        _typeface.Dispose();
        _ink.Dispose();
        _line.Dispose();
    }

    /// <summary>The most characters one line holds, however narrow they are (zero-width characters take no room).</summary>
    internal const int MaxLineChars = 400;

    /// <summary>
    /// Breaks text into lines no wider than <paramref name="width"/> and no longer than <see cref="MaxLineChars"/> (any
    /// character may end a line: Chinese has no spaces, hashes are long). Each character is measured once, so the time
    /// is linear in the text, whatever it holds.
    /// </summary>
    internal static List<string> Wrap(string text, SKFont font, float width)
    {
        var lines = new List<string>();
        var widths = new Dictionary<int, float>();
        foreach (var paragraph in (text ?? string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var start = 0;
            while (start < paragraph.Length)
            {
                var end = start;
                var used = 0f;
                while (end < paragraph.Length)
                {
                    // A surrogate pair is one character: measured and kept together.
                    var length = char.IsHighSurrogate(paragraph[end]) && end + 1 < paragraph.Length && char.IsLowSurrogate(paragraph[end + 1]) ? 2 : 1;
                    var codePoint = length == 2 ? char.ConvertToUtf32(paragraph[end], paragraph[end + 1]) : paragraph[end];
                    if (!widths.TryGetValue(codePoint, out var advance))
                    {
                        advance = font.MeasureText(paragraph.AsSpan(end, length));
                        widths[codePoint] = advance;
                    }

                    if (end > start && (used + advance > width || end + length - start > MaxLineChars))
                    {
                        break;
                    }

                    used += advance;
                    end += length;
                }

                lines.Add(paragraph[start..end]);
                start = end;
            }

            if (paragraph.Length == 0)
            {
                lines.Add(string.Empty);
            }
        }

        return lines;
    }

    private void Row(IReadOnlyList<string> cells, float[] columns, SKFont font, float size, string? note)
    {
        var wrapped = cells.Select((c, i) => Wrap(c, font, columns[i] - 4)).ToList();
        var noteLines = note is null ? [] : Wrap(note, font, Width - (2 * Margin) - 4);
        var cellHeight = wrapped.Max(w => w.Count) * size * 1.35f;
        var height = cellHeight + (noteLines.Count * size * 1.35f) + 4;
        Ensure(height);
        var x = Margin;
        for (var i = 0; i < cells.Count; i++)
        {
            var y = _y + 2 + size;
            foreach (var line in wrapped[i])
            {
                _canvas!.DrawText(line, x + 2, y, SKTextAlign.Left, font, _ink);
                y += size * 1.35f;
            }

            x += columns[i];
        }

        var noteY = _y + 2 + size + cellHeight;
        foreach (var line in noteLines)
        {
            _canvas!.DrawText(line, Margin + 2, noteY, SKTextAlign.Left, font, _ink);
            noteY += size * 1.35f;
        }

        _canvas!.DrawLine(Margin, _y + height, Width - Margin, _y + height, _line);
        _y += height;
    }

    private SKFont Font(float size) => new(_typeface, size);

    private void Ensure(float needed)
    {
        if (_y + needed > Bottom)
        {
            Footer();
            _document.EndPage();
            NewPage();
        }
    }

    private void NewPage()
    {
        _canvas = _document.BeginPage(Width, Height);
        _page++;
        _y = Margin;
    }

    private void Footer()
    {
        using var font = Font(8);
        _canvas!.DrawText(FormattableString.Invariant($"{_footer}　第 {_page} 页"), Width / 2, Height - 28, SKTextAlign.Center, font, _ink);
    }
}
