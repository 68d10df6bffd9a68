using ExamNetWatch.Dashboard.Cli;

// A file that is missing or cannot be read is the user's to fix: say which, without a stack trace.
try
{
    return await CommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync("examnetwatch: " + e.Message);
    return 2;
}
catch (ExamNetWatch.Dashboard.Data.StoreUnavailableException e)
{
    await Console.Error.WriteLineAsync("examnetwatch: " + e.Message);
    return 2;
}
catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // A setting of the wrong kind (a word where a number or one of a list is expected): the binder names the setting.
    await Console.Error.WriteLineAsync($"examnetwatch: {e.Message} {e.InnerException?.Message}");
    return 2;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    // A setting that is wrong: each failure names its setting.
    await Console.Error.WriteLineAsync("examnetwatch: " + string.Join(" ", e.Failures));
    return 2;
}
