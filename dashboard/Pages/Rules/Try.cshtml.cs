using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Dashboard.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ExamNetWatch.Dashboard.Pages.Rules;

/// <summary>"Try a text": the verdict and the explanation the detector gives a text, with the rules in force now.</summary>
public sealed class TryModel(PostDetector detector) : PageModel
{
    public const int MaxLength = 20_000;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    public DetectionResult? Verdict { get; private set; }

    public string? Error { get; private set; }

    public int Terms => detector.Lexicon.Terms.Count;

    public int Concepts => detector.Lexicon.Concepts.Count;

    public int Combinations => detector.Lexicon.Combinations.Count;

    public int Patterns => detector.Lexicon.Patterns.Count;

    public void OnGet()
    {
    }

    public void OnPost()
    {
        if (string.IsNullOrWhiteSpace(Text))
        {
            Error = UiText.Get("请输入要检测的文字。");
            return;
        }

        if (Text.Length > MaxLength || (Title?.Length ?? 0) > 500)
        {
            Error = UiText.Format("正文不能超过 {0} 字，标题不能超过 500 字。", MaxLength);
            return;
        }

        Verdict = detector.Detect(Title, Text);
    }
}
