namespace ExamNetWatch.Dashboard.Reports;

/// <summary>A written report as a list of blocks, rendered to PDF or DOCX alike.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<ReportBlock> Blocks);

/// <summary>A block of a report.</summary>
public abstract record ReportBlock;

/// <summary>A heading (level 1 is the title, 2 a section).</summary>
public sealed record ReportHeading(string Text, int Level = 2) : ReportBlock;

/// <summary>A paragraph.</summary>
public sealed record ReportParagraph(string Text) : ReportBlock;

/// <summary>A table; <see cref="Widths"/> are fractions of the text width.</summary>
public sealed record ReportTable(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<float> Widths) : ReportBlock;

/// <summary>Renders a report to a file format.</summary>
public static class ReportRenderer
{
    /// <summary>Writes <paramref name="report"/> as PDF (searchable Chinese) or DOCX, chosen by <paramref name="format"/> ("pdf" or "docx").</summary>
    /// <exception cref="ArgumentException">Another format.</exception>
    public static void Write(ReportDocument report, string format, Stream output, DateTime createdUtc)
    {
        ArgumentNullException.ThrowIfNull(report);
        switch (format.ToLowerInvariant())
        {
            case "pdf":
                WritePdf(report, output, createdUtc);
                break;
            case "docx":
                ReportDocx.Write(report, output);
                break;
            default:
                throw new ArgumentException($"'{format}' is not a report format (pdf or docx).", nameof(format));
        }
    }

    private static void WritePdf(ReportDocument report, Stream output, DateTime createdUtc)
    {
        using var pdf = new Evidence.PdfWriter(output, report.Title, report.Title, createdUtc);
        foreach (var block in report.Blocks)
        {
            switch (block)
            {
                case ReportHeading h:
                    pdf.Heading(h.Text, h.Level == 1 ? 18 : 13);
                    break;
                case ReportParagraph p:
                    pdf.Paragraph(p.Text, 10.5f);
                    break;
                case ReportTable t:
                    pdf.Table(t.Headers, t.Rows, t.Widths, 9);
                    break;
            }
        }

        pdf.Close();
    }
}
