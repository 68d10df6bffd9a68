using System.ComponentModel.DataAnnotations;
using ExamNetWatch.Dashboard.Data;

namespace ExamNetWatch.Dashboard.Tests.Data;

/// <summary>The store's settings: PostgreSQL's password from a mounted secret, never repeated in a message.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void PasswordFile_IsAddedToTheConnectionString_Trimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "s3cret value\n");
            var options = new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db;Database=enw;Username=enw", PasswordFile = file };

            Assert.Empty(Problems(options));
            Assert.Equal("s3cret value", new Npgsql.NpgsqlConnectionStringBuilder(options.EffectiveConnectionString()).Password);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void PasswordFileMissing_IsNamed()
    {
        var options = new StorageOptions { Provider = StorageProvider.PostgreSql, ConnectionString = "Host=db;Database=enw;Username=enw;Password=s3cret", PasswordFile = "/nonexistent/pw" };

        var problem = Assert.Single(Problems(options));
        Assert.StartsWith("Storage:PasswordFile: the file /nonexistent/pw does not exist", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_NeedsNoConnectionString()
    {
        Assert.Empty(Problems(new StorageOptions()));
        Assert.Null(new StorageOptions().EffectiveConnectionString());
    }

    private static List<string> Problems(StorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? string.Empty)];
    }
}
