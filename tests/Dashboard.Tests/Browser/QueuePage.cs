using Microsoft.Playwright;

namespace ExamNetWatch.Dashboard.Tests.Browser;

/// <summary>What an analyst does on the queue page, for the queue browser tests.</summary>
internal static class QueuePage
{
    /// <summary>Types the text into the queue search and filters, as an analyst does.</summary>
    public static async Task ShowMatchingAsync(IPage page, string text)
    {
        await page.FillAsync("#queue-filter input[name=q]", text);
        await page.GetByRole(AriaRole.Button, new() { Name = "筛选" }).ClickAsync();
        await Assertions.Expect(page.Locator("#queue-filter input[name=q]")).ToHaveValueAsync(text);
    }

    /// <summary>Runs a bulk action as an analyst does: choose it, give its argument, 执行, then 确认执行 in the confirmation.</summary>
    public static async Task RunBulkAsync(IPage page, string action, string argument)
    {
        await page.SelectOptionAsync("#bulk-form select[name=action]", action);
        await page.FillAsync("#bulk-form input[name=argument]", argument);
        await page.GetByRole(AriaRole.Button, new() { Name = "执行", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-confirm")).ToBeVisibleAsync();
        await page.Locator("#bulk-confirm-yes").ClickAsync();
    }
}
