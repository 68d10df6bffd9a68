namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>The repository the tests were built from (the folder holding ExamNetWatch.sln above the test binaries).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExamNetWatch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ExamNetWatch.sln not found above " + AppContext.BaseDirectory);
    }
}
