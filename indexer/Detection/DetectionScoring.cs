using System.Globalization;
using ExamNetWatch.Indexer.Detection.Concepts;
using ExamNetWatch.Indexer.Detection.Model;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Turns what the rules found and what the model says into one verdict. The rule score of a category is its strongest
/// term or combination, lifted by offering/seeking words, time-to-exam words and contacts, and lowered by the frames of
/// news, courts, warnings, notices, denials and after-exam talk (and, for offers, by hearsay). Rules and the model's
/// probability of an alert category are combined as the model file says (a weighted mean, the larger of that and the
/// model, or a noisy-or; weight and thresholds chosen on the development split). Severity is calibrated: critical only
/// for a concrete offer or request — a contact or a payment — close to or during an exam of the calendar; a rumour of a
/// leak is a watch item (low) below the alerts. The figures are computed first and the explanation only for a post
/// that has something to explain: most posts have nothing, and words cost more than numbers.
/// </summary>
internal sealed partial class DetectionScoring
{
    /// <summary>Score at and above which a post alerts, without a model.</summary>
    public const double DefaultAlertThreshold = 0.55;

    /// <summary>How rules and model combine: a weighted mean, the larger of that and the model, or a noisy-or of the weighted rule score and the model.</summary>
    internal const int CombineBlend = 0;
    internal const int CombineMax = 1;
    internal const int CombineNoisyOr = 2;

    private const double ExtraEvidenceWeight = 0.1;
    private const double MaxExtraEvidence = 0.2;
    private const double MaxIntent = 0.35;
    private const double MaxUrgency = 0.1;
    private const double ContactWeight = 0.2;
    private const double MaxContactHint = 0.15;
    private const double MaxFrames = 0.8;
    private const double MaxHedge = 0.4;
    private const double OpenPaperBoost = 0.25;
    private const double OpenPaperTermWeight = 0.35;
    private const double CategoryListed = 0.2;

    /// <summary>The rule score at and above which rules alone make an alert, whatever the model says.</summary>
    internal const double RuleAlone = 0.85;

    /// <summary>The weight from which a term is evidence enough to alert on its own rules (作弊器 0.5; 中考真题 0.3 is not).</summary>
    private const double StrongTerm = 0.45;
    private const int ModelFeaturesShown = 6;
    private const int MaxCueWords = 8;
    private const int Families = 4;
    private const int RumourIndex = 4;

    private static readonly int[] Frames = [.. ConceptClass.Frames.Select(ConceptClass.IndexOf)];
    private static readonly int[] Intent = [ConceptClass.IndexOf(ConceptClass.Offer), ConceptClass.IndexOf(ConceptClass.Seek)];
    private static readonly int[] Urgency = [ConceptClass.IndexOf(ConceptClass.TimeBefore), ConceptClass.IndexOf(ConceptClass.TimeDuring)];
    private static readonly int[] ContactWords = [ConceptClass.IndexOf(ConceptClass.Contact)];
    private static readonly int[] Hearsay = [ConceptClass.IndexOf(ConceptClass.Rumour)];
    private static readonly int Price = ConceptClass.IndexOf(ConceptClass.Price);
    private static readonly int Payment = ConceptClass.IndexOf(ConceptClass.Payment);
    private static readonly int Rumour = ConceptClass.IndexOf(ConceptClass.Rumour);
    private static readonly int Denial = ConceptClass.IndexOf(ConceptClass.Denial);

    // Without a term, a combination, a word of one of these classes, or words of two classes of context, no post
    // alerts, however the model scores it. A device noun is no anchor on its own: "设备" in a manual is not a cheating
    // device, "设备" next to an exam may be. Words of time are no context: "明天上午考语文" in a parents' group is an exam
    // and a time and nothing else; a contact is one (an exam and a WeChat id are worth the model's reading).
    private static readonly int[] Anchors = [.. new[] { ConceptClass.Goods, ConceptClass.Service, ConceptClass.DeviceTrait, ConceptClass.Transmission, ConceptClass.Question, ConceptClass.Guarantee }.Select(ConceptClass.IndexOf)];
    private static readonly int[] Contexts = [.. new[] { ConceptClass.Goods, ConceptClass.Exam, ConceptClass.Service, ConceptClass.Assist, ConceptClass.Device, ConceptClass.DeviceTrait, ConceptClass.Transmission, ConceptClass.Question, ConceptClass.Guarantee, ConceptClass.Price, ConceptClass.Payment, ConceptClass.Contact }.Select(ConceptClass.IndexOf)];

    private readonly Dictionary<string, double> _termWeights;
    private readonly HashSet<string> _patternLabels;
    private readonly DetectionModel? _model;
    private readonly int[] _modelClass;
    private readonly double _ruleWeight;
    private readonly int _combine;
    private readonly double _alertThreshold;
    private readonly double _highThreshold;
    private readonly double _watchThreshold;
    private readonly double _rumourThreshold;
    private readonly double _ruleAlone;

    public DetectionScoring(Lexicon lexicon)
    {
        _termWeights = lexicon.Terms.Concat(lexicon.Patterns.Select(p => new LexiconEntry(p.Kind, p.Label, p.Weight)))
            .GroupBy(t => t.Term, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(t => t.Weight), StringComparer.Ordinal);
        _patternLabels = [.. lexicon.Patterns.Select(p => p.Label)];
        _model = lexicon.Model;
        _modelClass = [.. Category.WithRumour.Select(c => _model is null ? -1 : _model.Classes.ToList().IndexOf(c))];
        _ruleWeight = _model is null ? 1 : Math.Clamp(_model.Parameter("rule_weight", 0.5), 0, 1);
        _combine = (int)(_model?.Parameter("combine", CombineBlend) ?? CombineBlend);
        _alertThreshold = _model?.Parameter("alert_threshold", DefaultAlertThreshold) ?? DefaultAlertThreshold;
        _highThreshold = _model?.Parameter("high_threshold", 0.7) ?? 0.7;
        _watchThreshold = _model?.Parameter("watch_threshold", 0.4) ?? 0.4;
        _rumourThreshold = _model?.Parameter("rumour_threshold", 0.5) ?? 0.5;
        _ruleAlone = _model?.Parameter("rule_alone", RuleAlone) ?? RuleAlone;
    }

    /// <summary>Returns the weight of a term or pattern label (an open-paper term has a fixed weight).</summary>
    public double TermWeight(string term) => _termWeights.GetValueOrDefault(term, OpenPaperTermWeight);

    public DetectionResult Judge(DetectionEvidence evidence, DetectionContext context)
    {
        var rules = Rules(evidence);
        var anchored = rules.Found || Any(evidence, Anchors) || Count(evidence, Contexts) >= 2;

        // The model only speaks where it could change something: an anchored post, or one with words of hearsay.
        var probabilities = anchored || evidence.ClassCounts[Rumour] > 0 ? _model?.Probabilities(evidence) : null;
        var alertProbability = 0.0;
        Span<double> scores = stackalloc double[Category.WithRumour.Count];
        for (var c = 0; c < scores.Length; c++)
        {
            var modelScore = probabilities is null || _modelClass[c] < 0 ? 0 : probabilities[_modelClass[c]];
            alertProbability += c < Families ? modelScore : 0;
            scores[c] = (_ruleWeight * rules.Scores[c]) + ((1 - _ruleWeight) * modelScore);
        }

        var ruleBest = 0.0;
        for (var c = 0; c < Families; c++)
        {
            ruleBest = Math.Max(ruleBest, rules.Scores[c]);
        }

        var blend = (_ruleWeight * ruleBest) + ((1 - _ruleWeight) * alertProbability);
        var combined = _combine switch
        {
            CombineMax => Math.Max(blend, alertProbability),
            CombineNoisyOr => 1 - ((1 - (_ruleWeight * ruleBest)) * (1 - alertProbability)),
            _ => blend,
        };
        // A term that speaks clearly — with offering words or a contact, and no frame — alerts on its own (a term an admin
        // adds in the rules page must work; combinations of generic words are left to the model to weigh), and a post
        // about a paper that is open now is more urgent than the same post on another day.
        if (rules.TermScore >= _ruleAlone)
        {
            combined = Math.Max(combined, _alertThreshold + (rules.TermScore - _ruleAlone));
        }

        if (rules.OpenPaper)
        {
            combined += OpenPaperBoost * (1 - combined);
        }

        var score = Math.Round(Math.Clamp(combined, 0, 1), 3);

        // The categories worth naming, strongest first.
        var ranked = new List<string>(2);
        var order = new List<(double Score, int Category)>(Families);
        for (var c = 0; c < Families; c++)
        {
            if (rules.Scores[c] > 0 || (probabilities is not null && _modelClass[c] >= 0 && probabilities[_modelClass[c]] >= CategoryListed))
            {
                order.Add((-scores[c], c));
            }
        }

        order.Sort();
        foreach (var (_, c) in order)
        {
            ranked.Add(Category.WithRumour[c]);
        }

        var severity = Severity.None;
        var reason = SeverityReason.None;
        var rumour = 0.0;
        if (anchored && score >= _alertThreshold && ranked.Count > 0)
        {
            (severity, reason) = AlertSeverity(evidence, context, score, ranked[0]);
        }
        else
        {
            rumour = scores[RumourIndex];
            if (evidence.ClassCounts[Rumour] > 0 && evidence.ClassCounts[Denial] == 0 && rumour >= _rumourThreshold)
            {
                severity = Severity.Low;
                ranked.Insert(0, Category.LeakRumour);
                score = Math.Round(Math.Min(Math.Max(score, rumour), _alertThreshold - 0.001), 3);
            }
            else if (anchored && score >= _watchThreshold)
            {
                severity = Severity.Low;
            }

            rumour = severity == Severity.Low && ranked.Count > 0 && ranked[0] == Category.LeakRumour ? rumour : 0;
        }

        if (severity == Severity.None)
        {
            ranked.Clear();
        }

        // Nothing found, nothing to say: most posts stop here.
        if (!rules.Found && severity == Severity.None)
        {
            return new DetectionResult(severity, anchored ? score : 0, ranked, evidence.Terms, evidence.Contacts, []);
        }

        var explanations = Explain(evidence, rules);
        if (reason != SeverityReason.None)
        {
            explanations.Add(new Explanation("severity", 0, Describe(reason, context)));
        }

        if (rumour > 0)
        {
            explanations.Add(new Explanation("watch", Math.Round(rumour, 3), Category.LeakRumour));
        }

        if ((severity >= Severity.Medium || rumour > 0) && probabilities is not null)
        {
            // What the model saw, for the posts someone will read (explaining costs more than scoring).
            var top = ranked.Count > 0 ? _modelClass[Category.WithRumour.ToList().IndexOf(ranked[0])] : ArgMax(probabilities);
            explanations.Add(ModelExplanation(evidence, top, probabilities[top], alertProbability));
        }

        return new DetectionResult(severity, severity == Severity.None && !anchored ? 0 : score, ranked, Matches(evidence), evidence.Contacts, explanations);
    }

    private static bool Any(DetectionEvidence evidence, int[] classes)
    {
        foreach (var c in classes)
        {
            if (evidence.ClassCounts[c] > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int Count(DetectionEvidence evidence, int[] classes)
    {
        var count = 0;
        foreach (var c in classes)
        {
            count += evidence.ClassCounts[c] > 0 ? 1 : 0;
        }

        return count;
    }

    private static int ArgMax(double[] values)
    {
        var best = 1;
        for (var i = 2; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Medium for an alert; high for a concrete one (contact or payment) that scores high; critical only close to or during an exam.</summary>
    private (Severity, SeverityReason) AlertSeverity(DetectionEvidence evidence, DetectionContext context, double score, string category)
    {
        var concrete = evidence.Contacts.Count > 0 || evidence.ClassCounts[Price] > 0 || evidence.ClassCounts[Payment] > 0;
        var inExam = category == Category.InExamTransmission && context.OpenSubjects.Count > 0;
        var reason = concrete ? SeverityReason.Concrete : inExam ? SeverityReason.InExam : SeverityReason.NotConcrete;
        return (concrete || inExam) && score >= _highThreshold
            ? (context.ExamNear ? Severity.Critical : Severity.High, reason)
            : (Severity.Medium, concrete ? SeverityReason.BelowHigh : SeverityReason.NotConcrete);
    }

    private static string Describe(SeverityReason reason, DetectionContext context)
    {
        var subjects = string.Join("、", context.OpenSubjects.Concat(context.UpcomingSubjects ?? []).Distinct(StringComparer.Ordinal).Take(3));
        var when = context.OpenSubjects.Count > 0 ? "，考试进行中：" + subjects : context.ExamNear ? "，临近考试：" + subjects : "，日历中近期无考试";
        return reason switch
        {
            SeverityReason.Concrete => "有联系方式或付款条件" + when,
            SeverityReason.InExam => "考试进行中传题" + when,
            SeverityReason.BelowHigh => "有联系方式或付款条件，但评分未达高危",
            _ => "无联系方式或付款条件",
        };
    }

    private static List<TermMatch> Matches(DetectionEvidence evidence)
    {
        if (evidence.Combinations.Count == 0)
        {
            return evidence.Terms;
        }

        var matches = new List<TermMatch>(evidence.Terms);
        foreach (var fired in evidence.Combinations)
        {
            var field = fired.Field == "title" ? evidence.Title! : evidence.Text;
            foreach (var word in fired.Words)
            {
                if (word.Term is null)
                {
                    continue;
                }

                var (start, end) = field.ToOriginal(word.Start, word.End);
                if (!matches.Exists(m => m.Field == fired.Field && m.Start < end && start < m.End))
                {
                    matches.Add(new TermMatch(fired.Field, start, end, field.Original[start..end], word.Term, fired.Rule.Category));
                }
            }
        }

        matches.Sort((a, b) => a.Field != b.Field ? string.CompareOrdinal(b.Field, a.Field) : a.Start.CompareTo(b.Start));
        return matches;
    }

    private enum SeverityReason
    {
        None,
        Concrete,
        InExam,
        BelowHigh,
        NotConcrete,
    }
}
