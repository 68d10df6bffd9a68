using System.Collections;
using System.Reflection;
using ExamNetWatch.Dashboard.Hosting;
using ExamNetWatch.Dashboard.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace ExamNetWatch.Dashboard.Tests.Deploy;

/// <summary>
/// Docker does not run here, so the deployment files are checked as an operator would read them: every setting they
/// pass is one the app has, every service the app needs is there, and the processes, probes and volumes fit together.
/// </summary>
public sealed class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(Repository.Root, "deploy");

    /// <summary>The app's configuration sections and the options class each binds to.</summary>
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage"] = typeof(ExamNetWatch.Dashboard.Data.StorageOptions),
        ["Jobs"] = typeof(JobsOptions),
        ["Index"] = typeof(Indexer.Indexing.IndexOptions),
        ["Proxy"] = typeof(ProxyOptions),
        ["Retention"] = typeof(ExamNetWatch.Dashboard.Retention.RetentionOptions),
        ["Sla"] = typeof(ExamNetWatch.Dashboard.Triage.SlaOptions),
        ["Notifications"] = typeof(ExamNetWatch.Dashboard.Notifications.NotificationOptions),
        ["Detection"] = typeof(ExamNetWatch.Dashboard.Ingestion.DetectionOptions),
        ["Indexing"] = typeof(ExamNetWatch.Dashboard.Indexing.IndexingOptions),
        ["Evidence"] = typeof(ExamNetWatch.Dashboard.Evidence.EvidenceOptions),
        ["Crawler"] = typeof(Crawler.Crawling.CrawlerOptions),
        ["Metrics"] = typeof(MetricsOptions),
        // The framework's console logger (Logging__Console__FormatterName=json).
        ["Logging"] = typeof(LoggingSection),
    };

    [Fact]
    public void Compose_PassesOnlySettingsTheAppHas_AndHasEveryServiceItNeeds()
    {
        var compose = Load(Path.Combine(Deploy, "compose.yaml")).Single();
        var services = Map(compose["services"]);

        Assert.Superset(new HashSet<string> { "postgres", "elasticsearch", "migrate", "web", "worker" }, services.Keys.ToHashSet());
        var settings = services.Values.Select(Map).Where(s => s.ContainsKey("environment") && s.ContainsKey("command"))
            .SelectMany(s => Map(s["environment"]).Keys).Distinct().ToList();
        Assert.NotEmpty(settings);
        Assert.All(settings, AssertIsASetting);
        Assert.Equal(["migrate", "--data-dir", "/data"], Strings(Map(services["migrate"])["command"]));
        Assert.Equal("web", Role(Strings(Map(services["web"])["command"])));
        Assert.Equal("worker", Role(Strings(Map(services["worker"])["command"])));
        Assert.True(int.Parse(Map(Map(services["worker"])["deploy"])["replicas"]!.ToString()!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        foreach (var process in new[] { "web", "worker" })
        {
            var depends = Map(Map(services[process])["depends_on"]);
            Assert.Equal("service_completed_successfully", Map(depends["migrate"])["condition"]);
            var environment = Map(Map(services[process])["environment"]);
            Assert.Equal("PostgreSql", environment["Storage__Provider"]);
            Assert.Equal("PostgreSql", environment["Jobs__Storage"]);
            // Captures and keys are shared by every process; each data directory is its own.
            Assert.Contains(Strings(Map(services[process])["volumes"]), v => v == "captures:/captures");
            Assert.Contains(Strings(Map(services[process])["volumes"]), v => v == "keys:/keys");
        }

        Assert.Equal("true", Map(Map(services["elasticsearch"])["environment"])["xpack.security.enabled"]);
    }

    [Fact]
    public void Kubernetes_DeploymentsProbeTheHealthEndpoints_AndEverythingTheyNameExists()
    {
        var documents = Directory.EnumerateFiles(Path.Combine(Deploy, "kubernetes"), "*.yaml").SelectMany(Load).ToList();
        Dictionary<string, object?> Kind(string kind, string name) => documents.Single(d => (string)d["kind"]! == kind && (string)Map(d["metadata"])["name"]! == name);

        var config = Map(Kind("ConfigMap", "examnetwatch")["data"]);
        Assert.All(config.Keys, AssertIsASetting);
        // A Secret's keys: text under stringData, binary (base64) under data.
        var secretDocument = Kind("Secret", "examnetwatch");
        var secret = Map(secretDocument["stringData"]).Concat(secretDocument.TryGetValue("data", out var binary) ? Map(binary) : []).ToDictionary(k => k.Key, k => k.Value);
        foreach (var file in config.Where(c => c.Key.EndsWith("File", StringComparison.Ordinal) || c.Key.EndsWith("CertificatePath", StringComparison.Ordinal)))
        {
            Assert.StartsWith("/run/secrets/examnetwatch/", (string)file.Value!, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName((string)file.Value!), secret.Keys);
        }

        var claims = documents.Where(d => (string)d["kind"]! == "PersistentVolumeClaim").Select(d => (string)Map(d["metadata"])["name"]!).ToHashSet();
        foreach (var role in new[] { "web", "worker" })
        {
            var pod = Map(Map(Map(Kind("Deployment", "examnetwatch-" + role)["spec"])["template"])["spec"]);
            var container = Map(List(pod["containers"]).Single());
            Assert.Equal(role, Role(Strings(container["args"])));
            Assert.Equal("/healthz", Map(Map(container["livenessProbe"])["httpGet"])["path"]);
            Assert.Equal("/readyz", Map(Map(container["readinessProbe"])["httpGet"])["path"]);
            Assert.Equal("examnetwatch", Map(Map(List(container["envFrom"]).Select(Map).Single())["configMapRef"])["name"]);
            Assert.Equal("10001", Map(pod["securityContext"])["runAsUser"]);
            foreach (var volume in List(pod["volumes"]).Select(Map))
            {
                if (volume.TryGetValue("persistentVolumeClaim", out var claim))
                {
                    Assert.Contains((string)Map(claim)["claimName"]!, claims);
                }
            }

            var mounts = List(container["volumeMounts"]).Select(Map).ToDictionary(m => (string)m["mountPath"]!, m => (string)m["name"]!);
            Assert.Equal("/captures", config["Storage__CapturesPath"]);
            Assert.Equal("/keys", config["Storage__KeysPath"]);
            Assert.Contains("/captures", mounts.Keys);
            Assert.Contains("/keys", mounts.Keys);
            Assert.Single(documents, d => (string)d["kind"]! == "PodDisruptionBudget" && (string)Map(Map(Map(d["spec"])["selector"])["matchLabels"])["app.kubernetes.io/component"]! == role);
        }

        Assert.Equal(["migrate", "--data-dir", "/data"], Strings(Map(List(Map(Map(Map(Kind("Job", "examnetwatch-migrate")["spec"])["template"])["spec"])["containers"]).Single())["args"]));
    }

    [Fact]
    public void Dockerfile_BuildsInTwoStages_RunsAsANonRootUser_WithTheChineseFont()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "Dockerfile"));

        Assert.Equal(2, lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Trim() == "USER 10001");
        Assert.Contains(lines, l => l.Contains("fonts-wqy-microhei", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ENTRYPOINT [\"dotnet\", \"examnetwatch.dll\"]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("dotnet publish dashboard/ExamNetWatch.Dashboard.csproj", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Repository.Root, "dashboard", "ExamNetWatch.Dashboard.csproj")));
    }

    /// <summary>The part of the framework's <c>Logging</c> section the deploy files set.</summary>
    private sealed record LoggingSection(Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions Console);

    /// <summary>Asserts that <paramref name="variable"/> (<c>Section__Key__…</c>) is a setting some options class binds.</summary>
    private static void AssertIsASetting(string variable)
    {
        var parts = variable.Split("__");
        Assert.True(parts.Length >= 2 && Sections.ContainsKey(parts[0]), $"{variable}: no configuration section {parts[0]}");
        var type = Sections[parts[0]];
        for (var i = 1; i < parts.Length; i++)
        {
            var property = type.GetProperty(parts[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null && type == typeof(Crawler.Crawling.CrawlerOptions))
            {
                // Crawler:Fetcher and Crawler:Capture are sections of their own classes.
                type = parts[i].ToUpperInvariant() switch
                {
                    "FETCHER" => typeof(Crawler.Fetching.FetcherOptions),
                    "CAPTURE" => typeof(Crawler.Captures.CaptureOptions),
                    _ => type,
                };
                Assert.True(type != typeof(Crawler.Crawling.CrawlerOptions), $"{variable}: {parts[i]} is not a setting of Crawler");
                continue;
            }

            Assert.True(property is not null && property.CanWrite || property?.GetSetMethod(nonPublic: true) is not null, $"{variable}: {string.Join(':', parts[..(i + 1)])} is not a setting the app has");
            if (property!.PropertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(property.PropertyType))
            {
                Assert.True(i + 1 < parts.Length && int.TryParse(parts[i + 1], out _), $"{variable}: a list setting needs an index");
                return;
            }

            type = property.PropertyType;
        }
    }

    private static string? Role(List<string> args) => args.SkipWhile(a => a != "--role").Skip(1).FirstOrDefault();

    private static List<Dictionary<string, object?>> Load(string path)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new MergingParser(new Parser(new StringReader(File.ReadAllText(path))));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<string, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(Map(deserializer.Deserialize<object>(parser)));
        }

        return documents;
    }

    private static Dictionary<string, object?> Map(object? node) => node switch
    {
        Dictionary<string, object?> converted => converted,
        IDictionary<object, object?> map => map.ToDictionary(e => e.Key.ToString()!, e => e.Value),
        _ => throw new InvalidOperationException($"not a mapping: {node}"),
    };

    private static List<object?> List(object? node) => node is IList<object?> list ? [.. list] : throw new InvalidOperationException($"not a list: {node}");

    private static List<string> Strings(object? node) => [.. List(node).Select(v => v?.ToString() ?? string.Empty)];
}
