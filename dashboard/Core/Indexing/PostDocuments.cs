using System.Text.Json;
using ExamNetWatch.Dashboard.Data;
using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;

namespace ExamNetWatch.Dashboard.Indexing;

/// <summary>Builds the search document of a stored post from the database (the post, its verdict and its alert).</summary>
public static class PostDocuments
{
    /// <summary>Returns the document of <paramref name="post"/>, with <paramref name="alert"/> when it raised one.</summary>
    public static PostDocument From(Post post, Alert? alert)
    {
        ArgumentNullException.ThrowIfNull(post);
        var categories = new List<string>();
        var terms = new List<string>();
        var contacts = new List<string>();
        var severity = ((Severity)post.Severity).Name();
        try
        {
            using var verdict = JsonDocument.Parse(post.DetectionJson);
            var root = verdict.RootElement;
            if (root.TryGetProperty("categories", out var c) && c.ValueKind == JsonValueKind.Array)
            {
                categories.AddRange(c.EnumerateArray().Select(e => e.GetString()).OfType<string>());
            }

            if (root.TryGetProperty("matches", out var m) && m.ValueKind == JsonValueKind.Array)
            {
                terms.AddRange(m.EnumerateArray().Select(e => e.TryGetProperty("term", out var t) ? t.GetString() : null).OfType<string>().Distinct(StringComparer.Ordinal));
            }

            if (root.TryGetProperty("contacts", out var k) && k.ValueKind == JsonValueKind.Array)
            {
                contacts.AddRange(k.EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("value").GetString()}"));
            }
        }
        catch (JsonException)
        {
            // A verdict that cannot be read still leaves the post searchable by its text, severity and alert.
        }

        return new PostDocument(
            post.Id,
            post.ThreadId,
            post.SourceId,
            post.Url,
            post.ThreadTitle,
            post.Text,
            post.Author,
            post.PostedAtUtc is { } posted ? new DateTimeOffset(DateTime.SpecifyKind(posted, DateTimeKind.Utc)) : null,
            new DateTimeOffset(DateTime.SpecifyKind(post.FetchedAtUtc, DateTimeKind.Utc)),
            severity,
            post.Score,
            categories,
            terms,
            contacts,
            alert?.Id,
            alert?.Status);
    }
}
