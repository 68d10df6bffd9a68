using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExamNetWatch.Dashboard.Evidence;

/// <summary>The manifest's descriptive fields against the files they describe.</summary>
public static partial class EvidenceVerifier
{
    /// <summary>The manifest's descriptions must say what the files say: its alerts, each file's source URL, the audit head, the Beijing time.</summary>
    private static void CheckDescriptions(EvidenceManifest manifest, Dictionary<string, byte[]> entries, List<string> checkedItems, List<string> failures)
    {
        var before = failures.Count;
        var urls = new Dictionary<long, string?>();
        foreach (var (name, bytes) in entries.Where(e => e.Key.StartsWith("posts/", StringComparison.Ordinal)))
        {
            try
            {
                var document = JsonNode.Parse(bytes);
                if (document?["alert"]?["id"]?.GetValue<long>() is { } id)
                {
                    urls[id] = document["post"]?["url"]?.GetValue<string>();
                    if (name != EvidenceFiles.Post(id))
                    {
                        failures.Add($"{name}: holds alert {id}, but is named as another alert's");
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                // CheckPost names it.
            }
        }

        var listed = manifest.Alerts.Order().ToList();
        if (!listed.SequenceEqual(urls.Keys.Order()))
        {
            failures.Add($"{EvidenceFiles.Manifest}: lists alerts {string.Join(", ", listed)}, but the package holds posts of alerts {string.Join(", ", urls.Keys.Order())}");
        }

        foreach (var file in manifest.Files)
        {
            var alert = urls.Keys.FirstOrDefault(id => file.Name == EvidenceFiles.Post(id) || file.Name == EvidenceFiles.Screenshot(id));
            if (alert != 0 && urls[alert] is { } url && file.Source != url)
            {
                failures.Add($"{EvidenceFiles.Manifest}: gives the source of {file.Name} as {Printable(file.Source)}, but the post was fetched from {Printable(url)}");
            }
        }

        if (manifest.CreatedBeijing != Hosting.BeijingTime.Format(DateTime.SpecifyKind(manifest.CreatedUtc, DateTimeKind.Utc)))
        {
            failures.Add($"{EvidenceFiles.Manifest}: createdBeijing {Printable(manifest.CreatedBeijing)} is not createdUtc {manifest.CreatedUtc:u} in Beijing time");
        }

        if (entries.TryGetValue(EvidenceFiles.Custody, out var custody))
        {
            try
            {
                var head = JsonNode.Parse(custody)?["auditHead"];
                var custodyHead = head is null ? null : new AuditHead(head["sequence"]!.GetValue<long>(), head["hash"]!.GetValue<string>());
                if (custodyHead != manifest.AuditHead)
                {
                    failures.Add($"{EvidenceFiles.Manifest}: its audit head {manifest.AuditHead?.Sequence}:{manifest.AuditHead?.Hash} is not the one in {EvidenceFiles.Custody} ({custodyHead?.Sequence}:{custodyHead?.Hash})");
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
            {
                // CheckCustody names it.
            }
        }

        if (failures.Count == before)
        {
            checkedItems.Add($"{EvidenceFiles.Manifest}: alerts, each file's source URL, the audit head and the Beijing time agree with the files");
        }
    }
}
