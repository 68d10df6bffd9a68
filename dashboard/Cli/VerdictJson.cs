using System.Text.Json;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Cli;

/// <summary>The verdict object of the <c>detect</c> contract, also embedded by <c>scan</c>.</summary>
public static class VerdictJson
{
    /// <summary>Writes <c>{"id", "alert", "severity", "score", "categories", "matches", "contacts", "explanations"}</c>.</summary>
    public static void Write(Utf8JsonWriter json, string id, DetectionResult result)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(result);
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteBoolean("alert", result.IsAlert);
        json.WriteString("severity", result.Severity.Name());
        json.WriteNumber("score", result.Score);
        json.WriteStartArray("categories");
        foreach (var category in result.Categories)
        {
            json.WriteStringValue(category);
        }

        json.WriteEndArray();
        json.WriteStartArray("matches");
        foreach (var m in result.Matches)
        {
            json.WriteStartObject();
            json.WriteString("field", m.Field);
            json.WriteNumber("start", m.Start);
            json.WriteNumber("end", m.End);
            json.WriteString("text", m.Text);
            json.WriteString("term", m.Term);
            json.WriteString("category", m.Category);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("contacts");
        foreach (var c in result.Contacts)
        {
            json.WriteStartObject();
            json.WriteString("kind", c.Kind);
            json.WriteString("value", c.Value);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("explanations");
        foreach (var e in result.Explanations)
        {
            json.WriteStartObject();
            json.WriteString("rule", e.Rule);
            json.WriteNumber("weight", e.Weight);
            json.WriteString("detail", e.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
