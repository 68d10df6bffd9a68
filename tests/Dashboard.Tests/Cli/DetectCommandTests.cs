using System.Diagnostics;
using System.Text.Json;
using ExamNetWatch.Dashboard.Cli;
using ExamNetWatch.Indexer.Detection;

namespace ExamNetWatch.Dashboard.Tests.Cli;

public sealed class DetectCommandTests
{
    private static readonly PostDetector Detector = new(Lexicon.LoadDefault());

    [Fact]
    public async Task RunAsync_MixedInputWithAMalformedLine_OneOutputLinePerInputLineInOrderAndExitCode2()
    {
        var input = string.Join('\n',
            """{"id": "a", "title": "出售", "text": "隐 形 耳 机 现货，QQ 2873341190", "extra": 1}""",
            """{"id": "b", "text": "数学复习到哪了？"}""",
            """{"id": "c", "text": """,
            """[1, 2]""",
            "",
            """{"id": 42, "text": "作*弊*器 出售，加薇 ks_helper88"}""");
        var output = new StringWriter();

        var exit = await DetectCommand.RunAsync(new StringReader(input), output, Detector, flushEachLine: false, CancellationToken.None);

        Assert.Equal(2, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, lines.Count);

        var a = lines[0];
        Assert.Equal("a", a.GetProperty("id").GetString());
        Assert.True(a.GetProperty("alert").GetBoolean());
        Assert.Contains(a.GetProperty("severity").GetString(), new[] { "medium", "high", "critical" });
        Assert.Equal(["device"], a.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        var match = a.GetProperty("matches")[0];
        Assert.Equal("text", match.GetProperty("field").GetString());
        Assert.Equal("隐 形 耳 机", match.GetProperty("text").GetString());
        Assert.Equal("隐形耳机", match.GetProperty("term").GetString());
        Assert.Equal("隐 形 耳 机 现货，QQ 2873341190"[match.GetProperty("start").GetInt32()..match.GetProperty("end").GetInt32()], match.GetProperty("text").GetString());
        Assert.Equal("qq", a.GetProperty("contacts")[0].GetProperty("kind").GetString());
        Assert.Equal("2873341190", a.GetProperty("contacts")[0].GetProperty("value").GetString());

        Assert.Equal("b", lines[1].GetProperty("id").GetString());
        Assert.False(lines[1].GetProperty("alert").GetBoolean());
        Assert.Equal("none", lines[1].GetProperty("severity").GetString());

        Assert.Equal(3, lines[2].GetProperty("line").GetInt32());
        Assert.False(string.IsNullOrEmpty(lines[2].GetProperty("error").GetString()));
        Assert.Equal(4, lines[3].GetProperty("line").GetInt32());

        Assert.Equal("42", lines[4].GetProperty("id").GetString());
        Assert.True(lines[4].GetProperty("alert").GetBoolean());
    }

    [Fact]
    public async Task RunAsync_AllLinesWellFormed_ExitCode0()
    {
        var output = new StringWriter();

        var exit = await DetectCommand.RunAsync(new StringReader("""{"id": "x", "text": "好好学习"}"""), output, Detector, false, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task RunAsync_LineMissingText_ErrorNamesTheField()
    {
        var output = new StringWriter();

        await DetectCommand.RunAsync(new StringReader("""{"id": "x", "title": "作弊器"}"""), output, Detector, false, CancellationToken.None);

        var line = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal(1, line.GetProperty("line").GetInt32());
        Assert.Contains("text", line.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_StdinToStdout_WritesVerdictsAndExitsWith2OnABadLine()
    {
        using var process = StartDetect();
        await process.StandardInput.WriteLineAsync("""{"id": "p1", "text": "中考答案 出售，加微信 zk2026da"}""");
        await process.StandardInput.WriteLineAsync("not json");
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"id\":\"p1\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"alert\":true", lines[0], StringComparison.Ordinal);
        Assert.Contains("中考答案", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("{\"line\":2,\"error\":", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Executable_PipeKeptOpen_EachVerdictComesBeforeTheNextLineIsWritten()
    {
        using var process = StartDetect();
        try
        {
            // A program in a pipeline: it writes one post and waits for its verdict before it writes the next.
            foreach (var (id, text, alert) in new[] { ("p1", "中考答案 出售，加微信 zk2026da", true), ("p2", "数学复习到哪了？", false), ("p3", "隐 形 耳 机 现货，QQ 2873341190", true) })
            {
                await process.StandardInput.WriteLineAsync($$"""{"id": "{{id}}", "text": "{{text}}"}""");
                await process.StandardInput.FlushAsync();

                var verdict = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));

                var line = JsonDocument.Parse(verdict!).RootElement;
                Assert.Equal(id, line.GetProperty("id").GetString());
                Assert.Equal(alert, line.GetProperty("alert").GetBoolean());
                Assert.False(process.HasExited);
            }

            process.StandardInput.Close();
            Assert.Null(await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static Process StartDetect() => Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "examnetwatch"), "detect")
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        StandardOutputEncoding = System.Text.Encoding.UTF8,
        StandardInputEncoding = new System.Text.UTF8Encoding(false),
    })!;

    [Fact]
    public async Task Executable_Evaluate_PrintsPrecisionAndRecallPerCategoryAndSourceType()
    {
        var folder = Directory.CreateTempSubdirectory("enw-evaluate-").FullName;
        try
        {
            var set = Path.Combine(folder, "labelled.jsonl");
            await File.WriteAllLinesAsync(set, [
                """{"id": "1", "text": "出售2026年中考各科答案，考前一天发，加微信 zk2026da", "alert": true, "category": "paper_leak", "source_type": "forum"}""",
                """{"id": "2", "text": "隐形耳机 米粒耳机 批发零售，防屏蔽，QQ 2873341190", "alert": true, "category": "device", "source_type": "forum"}""",
                """{"id": "3", "text": "数学复习到哪了？大家一起加油", "alert": false, "category": "none", "source_type": "forum"}""",
                """{"id": "4", "text": "警方破获一起出售中考答案的诈骗案，提醒考生不要相信", "alert": false, "category": "none", "source_type": "news_report"}""",
            ]);

            var (code, stdout, stderr) = await Support.ExamNetWatchProcess.RunAsync("detect", "--evaluate", set, "--data-dir", Path.Combine(folder, "data"));

            Assert.True(code == 0, stderr);
            var lines = stdout.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l.Trim(), " +", " ")).ToList();
            // On these four clear posts every verdict is right; each labelled category and source type has its line.
            Assert.StartsWith("posts 4 alerts: precision 1.000 recall 1.000 F1 1.000 (TP 2, FP 0, FN 0, TN 2)", lines[0], StringComparison.Ordinal);
            Assert.Contains("paper_leak 1 1 1.000 1 1 1.000 1", lines);
            Assert.Contains("device 1 1 1.000 1 1 1.000 1", lines);
            Assert.Contains("none 0 0 0 2", lines);
            Assert.Contains("forum 2 0 0 1 1.000 1.000", lines);
            Assert.Contains(lines, l => l.StartsWith("news_report 0 0 0 1 ", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
