using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace ExamNetWatch.Dashboard.Reports;

/// <summary>Writes a <see cref="ReportDocument"/> as a Word document (Open XML): headings, paragraphs, bordered tables, SimSun/宋体 for Chinese.</summary>
public static class ReportDocx
{
    public static void Write(ReportDocument report, Stream output)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            foreach (var block in report.Blocks)
            {
                switch (block)
                {
                    case ReportHeading h:
                        body.Append(Paragraph(h.Text, h.Level == 1 ? 36 : 28, bold: true, centred: h.Level == 1));
                        break;
                    case ReportParagraph p:
                        body.Append(Paragraph(p.Text, 22, bold: false, centred: false));
                        break;
                    case ReportTable t:
                        body.Append(Table(t));
                        body.Append(Paragraph(string.Empty, 22, bold: false, centred: false));
                        break;
                }
            }

            body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 }, new PageMargin { Top = 1440, Bottom = 1440, Left = 1247, Right = 1247 }));
            main.Document = new Document(body);
            document.PackageProperties.Title = report.Title;
            document.PackageProperties.Creator = Evidence.EvidenceFiles.Tool;
        }

        buffer.Position = 0;
        buffer.CopyTo(output);
    }

    private static Paragraph Paragraph(string text, int halfPoints, bool bold, bool centred)
    {
        var runProperties = new RunProperties(
            new RunFonts { Ascii = "SimSun", HighAnsi = "SimSun", EastAsia = "宋体" },
            new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (bold)
        {
            runProperties.Append(new Bold());
        }

        var paragraph = new Paragraph();
        if (centred)
        {
            paragraph.Append(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        }

        var lines = text.Split('\n');
        var run = new Run(runProperties);
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                run.Append(new Break());
            }

            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }

        paragraph.Append(run);
        return paragraph;
    }

    private static Table Table(ReportTable source)
    {
        const int TextWidth = 9412; // twentieths of a point between the margins of an A4 page
        var borders = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 },
            new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 },
            new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 },
            new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(borders, new TableWidth { Type = TableWidthUnitValues.Dxa, Width = TextWidth.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        table.Append(Row(source.Headers, source.Widths, TextWidth, bold: true));
        foreach (var row in source.Rows)
        {
            table.Append(Row(row, source.Widths, TextWidth, bold: false));
        }

        return table;
    }

    private static TableRow Row(IReadOnlyList<string> cells, IReadOnlyList<float> widths, int textWidth, bool bold)
    {
        var row = new TableRow();
        for (var i = 0; i < cells.Count; i++)
        {
            var width = ((int)(widths[i] * textWidth)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            row.Append(new TableCell(new TableCellProperties(new TableCellWidth { Type = TableWidthUnitValues.Dxa, Width = width }), Paragraph(cells[i], 20, bold, centred: false)));
        }

        return row;
    }
}
