namespace ExamNetWatch.Indexer.Detection.Concepts;

/// <summary>
/// The classes of words detection reasons with. A word list of fixed compounds misses real offers, which combine a
/// generic object (答案, 卷子) with an exam (四六级, 事业单位) and a transaction (一科300, 考后付款); the classes let
/// combinations of them be rules (see <see cref="CombinationRule"/>), and their presence is a feature of the model.
/// The strings are stable: they name the classes in <c>concepts.tsv</c>, <c>combinations.tsv</c> and the model file.
/// </summary>
public static class ConceptClass
{
    /// <summary>What is sold or sought: 答案, 题, 试题, 考题, 卷子, 原题.</summary>
    public const string Goods = "object";

    /// <summary>An exam: 中考, 四六级, 考研, 事业单位, 驾照科目一, 期末.</summary>
    public const string Exam = "exam";

    /// <summary>Offering: 出, 卖, 出售, 提供, 有货.</summary>
    public const string Offer = "offer";

    /// <summary>Seeking or buying: 求, 收, 谁有, 收购, 出价.</summary>
    public const string Seek = "seek";

    /// <summary>A price: 一科300, 每套, 200元.</summary>
    public const string Price = "price";

    /// <summary>Payment terms: 定金, 先付一半, 考后付款, 红包, 有偿.</summary>
    public const string Payment = "payment";

    /// <summary>Guarantees: 包过, 准确率, 不准不要钱, 考不过退款.</summary>
    public const string Guarantee = "guarantee";

    /// <summary>A way to reach the poster: 企鹅, 扣扣, 薇, V信, 私聊, a masked number (the contacts extracted count too).</summary>
    public const string Contact = "contact";

    /// <summary>A cheating service: 代考, 替考, 帮考, 代看网课, 改分, 助攻.</summary>
    public const string Service = "service";

    /// <summary>
    /// Helping verbs that are a cheating service only next to an exam or while a paper is open: 帮我做, 远程协助,
    /// 一条龙, 群文件 (帮我做个表格 is no service).
    /// </summary>
    public const string Assist = "assist";

    /// <summary>A device noun: 耳机, 接收器, 橡皮, 手表, 眼镜.</summary>
    public const string Device = "device";

    /// <summary>How a cheating device is described: 隐形, 看不见, 检测不到, 防屏蔽, 米粒.</summary>
    public const string DeviceTrait = "device_trait";

    /// <summary>Before the exam: 考前, 提前, 明天, 开考前.</summary>
    public const string TimeBefore = "time_before";

    /// <summary>While the paper is open: 开考后, 考场上, 正在考.</summary>
    public const string TimeDuring = "time_during";

    /// <summary>Relaying questions or answers: 发答案, 拍题, 发群里, 接收后.</summary>
    public const string Transmission = "transmission";

    /// <summary>Asking about a question: 选什么, 怎么做, 第12题.</summary>
    public const string Question = "question";

    /// <summary>Reported speech of news and courts: 记者, 警方, 涉嫌, 破获, 据悉, 被告人.</summary>
    public const string Report = "report";

    /// <summary>Warnings: 骗子, 别信, 谨防, 诈骗.</summary>
    public const string Warning = "warning";

    /// <summary>Official notices and rules: 通知, 考生须知, 严禁, 禁止携带.</summary>
    public const string Notice = "notice";

    /// <summary>Leak rumours: 网传, 听说, 泄露, 流出.</summary>
    public const string Rumour = "rumour";

    /// <summary>Denials: 辟谣, 不实, 谣言.</summary>
    public const string Denial = "denial";

    /// <summary>After the exam: 考完, 对答案, 估分, 回忆版.</summary>
    public const string AfterExam = "after_exam";

    /// <summary>Legitimate material and teaching: 历年真题, 模拟卷, 培训班, 解析.</summary>
    public const string Legit = "legit";

    /// <summary>Homework: 作业, 课后, 练习册.</summary>
    public const string Homework = "homework";

    /// <summary>
    /// Ordinary words that hold a shorter concept word of another meaning (正在考虑 holds 在考, 帮考生 holds 帮考, 包过期
    /// holds 包过): found so that the word inside them does not count; they count for nothing themselves.
    /// </summary>
    public const string Plain = "plain";

    /// <summary>Gets every class, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Goods, Exam, Offer, Seek, Price, Payment, Guarantee, Contact, Service, Assist, Device, DeviceTrait, TimeBefore,
        TimeDuring, Transmission, Question, Report, Warning, Notice, Rumour, Denial, AfterExam, Legit, Homework, Plain,
    ];

    /// <summary>Gets the classes that frame a post as something other than an offer: they lower the rule score.</summary>
    public static IReadOnlySet<string> Frames { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Report, Warning, Notice, Denial, AfterExam, Legit, Homework,
    };

    /// <summary>Returns the index of <paramref name="name"/> in <see cref="All"/>, or -1.</summary>
    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
