using ExamNetWatch.Dashboard.Sources;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>A valid registration of a Discuz! board with an authorisation from the day before <c>now</c> for 60 days.</summary>
public static class TestSources
{
    public static SourceRegistration Registration(DateTime now) => new(
        "某市中考论坛",
        ["http://bbs.test/forum.php?mod=forumdisplay&fid=2"],
        ["http://bbs.test/forum.php"],
        "赣考院中〔2019〕3号",
        "江西省教育考试院",
        "中考交流版块",
        now.AddDays(-1),
        now.AddDays(60),
        "王老师");
}
