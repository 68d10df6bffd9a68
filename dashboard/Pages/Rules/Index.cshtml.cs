using System.IO.Compression;
using System.Text;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Dashboard.Localization;
using ExamNetWatch.Dashboard.Rules;
using ExamNetWatch.Indexer.Detection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ExamNetWatch.Dashboard.Pages.Rules;

/// <summary>
/// The keyword dictionaries and rules: every staff member reads them; admins add and remove terms, concept words, combinations and patterns,
/// import files and export them. Every change is checked whole, audited, and used by detection at once.
/// </summary>
public sealed class IndexModel(RuleBook rules, WatchDbContext db, AuditLog audit) : PageModel
{
    /// <summary>The largest rules file an upload may hold (the model is the largest, about 1.5 MB).</summary>
    public const int MaxUploadBytes = 8 * 1024 * 1024;

    [BindProperty(SupportsGet = true, Name = "file")]
    public string RulesFile { get; set; } = RuleBook.TermsFile;

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<RuleLine> Lines { get; private set; } = [];

    public int Total { get; private set; }

    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public AuditEntry? LastChange { get; private set; }

    public bool Installed => rules.Installed;

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public bool CanEdit => User.IsInRole(StaffRoles.Admin);

    /// <summary>Gets the trained model in force (null: detection uses the rules alone).</summary>
    public ExamNetWatch.Indexer.Detection.Model.DetectionModel? DetectionModel => rules.Detector.Lexicon.Model;

    /// <summary>Gets the kinds a rule of the shown file can have.</summary>
    public IReadOnlyList<string> Kinds => RulesFile switch
    {
        RuleBook.ConceptsFile => ExamNetWatch.Indexer.Detection.Concepts.ConceptClass.All,
        RuleBook.CombinationsFile => Category.WithRumour,
        RuleBook.PatternsFile => [.. Category.TermFamilies, .. ExamNetWatch.Indexer.Detection.Concepts.ConceptClass.All],
        _ => Category.TermFamilies,
    };

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public IActionResult OnGetExport(string? file)
    {
        if (file is not null && Lexicon.FileNames.Contains(file))
        {
            return File(Encoding.UTF8.GetBytes(rules.Text(file)), "text/tab-separated-values; charset=utf-8", file);
        }

        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in Lexicon.FileNames)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(rules.Text(name));
            }
        }

        zip.Position = 0;
        return File(zip, "application/zip", "examnetwatch-rules.zip");
    }

    public async Task<IActionResult> OnPostAddAsync(string? kind, string? term, string? weight, string? window, string? expression, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        string[] columns = RulesFile switch
        {
            RuleBook.PatternsFile => [kind ?? string.Empty, term ?? string.Empty, weight ?? string.Empty, expression ?? string.Empty],
            RuleBook.CombinationsFile => [kind ?? string.Empty, term ?? string.Empty, weight ?? string.Empty, window ?? string.Empty, expression ?? string.Empty],
            _ => [kind ?? string.Empty, term ?? string.Empty, weight ?? string.Empty],
        };
        return await ChangeAsync(() => rules.Add(RulesFile, columns), AuditActions.RulesAdd, $"{RulesFile}: {string.Join(' ', columns)}", cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(int line, string? raw, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        return await ChangeAsync(() => rules.Remove(RulesFile, line, raw ?? string.Empty), AuditActions.RulesRemove, $"{RulesFile}: {raw?.Replace('\t', ' ')}", cancellationToken);
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? upload, string? reason, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }

        if (upload is null || upload.Length == 0 || upload.Length > MaxUploadBytes)
        {
            Error = UiText.Format("请选择一个不超过 {0} MB 的 .tsv 或 .zip 文件。", MaxUploadBytes / 1024 / 1024);
            await LoadAsync(cancellationToken);
            return Page();
        }

        Dictionary<string, string> files;
        try
        {
            files = await ReadUploadAsync(upload, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or DecoderFallbackException)
        {
            Error = UiText.Get("导入失败，规则未改动：") + ex.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var detail = $"{upload.FileName} ({string.Join(", ", files.Keys)})" + (string.IsNullOrWhiteSpace(reason) ? string.Empty : " — " + reason.Trim());
        return await ChangeAsync(() => rules.Install(files), AuditActions.RulesImport, detail, cancellationToken);
    }

    private static async Task<Dictionary<string, string>> ReadUploadAsync(IFormFile upload, CancellationToken cancellationToken)
    {
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        var files = new Dictionary<string, string>();
        await using var stream = upload.OpenReadStream();
        if (upload.FileName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            await using var archive = new ZipArchive(stream, ZipArchiveMode.Read);
            foreach (var entry in archive.Entries.Where(e => Lexicon.FileNames.Contains(e.Name)))
            {
                if (entry.Length > MaxUploadBytes)
                {
                    throw new FormatException($"{entry.Name} is larger than {MaxUploadBytes / 1024 / 1024} MB.");
                }

                using var reader = new StreamReader(await entry.OpenAsync(cancellationToken), strict);
                files[entry.Name] = await ReadAtMostAsync(reader, entry.Name, cancellationToken);
            }
        }
        else
        {
            var name = Path.GetFileName(upload.FileName);
            if (!Lexicon.FileNames.Contains(name))
            {
                throw new FormatException($"the file must be named {string.Join(", ", Lexicon.FileNames)} or be a .zip of them.");
            }

            using var reader = new StreamReader(stream, strict);
            files[name] = await reader.ReadToEndAsync(cancellationToken);
        }

        return files.Count == 0 ? throw new FormatException($"the archive holds none of {string.Join(", ", Lexicon.FileNames)}.") : files;
    }

    /// <summary>Reads a file of an uploaded archive, refusing one that inflates past the upload limit (its declared size can lie).</summary>
    private static async Task<string> ReadAtMostAsync(StreamReader reader, string name, CancellationToken cancellationToken)
    {
        var buffer = new char[MaxUploadBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return read > MaxUploadBytes ? throw new FormatException($"{name} is larger than {MaxUploadBytes / 1024 / 1024} MB.") : new string(buffer, 0, read);
    }

    private async Task<IActionResult> ChangeAsync(Func<RuleChange> change, string action, string detail, CancellationToken cancellationToken)
    {
        RuleChange result;
        try
        {
            result = change();
        }
        catch (FormatException ex)
        {
            Error = UiText.Get("规则未改动：") + ex.Message;
            await LoadAsync(cancellationToken);
            return Page();
        }

        audit.Add(db, User.Identity!.Name!, action, "rules", detail + " — " + result.Summary, HttpContext.Connection.RemoteIpAddress?.ToString());
        await db.SaveChangesAsync(cancellationToken);
        TempData["RulesMessage"] = UiText.Format("规则已生效：{0} 个考试词、{1} 个概念词、{2} 条组合规则、{3} 个模式。", result.Terms, result.Concepts, result.Combinations, result.Patterns);
        return RedirectToPage(new { file = RulesFile, kind = Kind, q = Query });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!RuleBook.EditableFiles.Contains(RulesFile))
        {
            RulesFile = RuleBook.TermsFile;
        }

        Message ??= TempData["RulesMessage"] as string;
        Counts = RuleBook.EditableFiles.ToDictionary(f => f, f => rules.Lines(f).Count);
        var lines = rules.Lines(RulesFile);
        Total = lines.Count;
        Lines = [.. lines.Where(l => (string.IsNullOrEmpty(Kind) || l.Kind == Kind) && (string.IsNullOrWhiteSpace(Query) || l.Raw.Contains(Query.Trim(), StringComparison.OrdinalIgnoreCase)))];
        LastChange = await db.Audit.AsNoTracking().Where(a => a.Action.StartsWith("rules.")).OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
    }
}
