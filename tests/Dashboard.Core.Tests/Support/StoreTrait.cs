namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// Marks test classes that run on whichever store <see cref="TempDatabase"/> gives: the test command runs them a second
/// time on PostgreSQL (<c>--filter Store=Any</c> with <c>EXAMNETWATCH_TEST_STORAGE=PostgreSql</c>). The core's suite runs
/// there whole; in the host's suite these are the ones that touch only the store.
/// </summary>
public static class StoreTrait
{
    public const string Name = "Store";

    public const string Any = "Any";
}
