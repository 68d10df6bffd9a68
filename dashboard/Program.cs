using ExamNetWatch.Dashboard.Cli;

return await CommandLine.Build().Parse(args).InvokeAsync();
