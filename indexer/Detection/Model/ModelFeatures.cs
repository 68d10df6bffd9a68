using ExamNetWatch.Indexer.Detection.Concepts;

namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>Receives the features of one post: character n-grams (scaled together afterwards) and named features with values.</summary>
internal interface IFeatureSink
{
    void AddNgram(ulong key);

    void AddNamed(ulong key, float value);
}

/// <summary>
/// The features of the model, the same for training and for detection: the characters of the normalised post as
/// n-grams of one (Han only) and two characters, and what the rules found — each concept class present, each
/// combination that fired and its category, the strongest lexicon term of each category, contact kinds, quoted offer
/// words, an open paper, and the length.
/// </summary>
internal static class ModelFeatures
{
    private static readonly ulong[] ClassKeys = [.. ConceptClass.All.Select(c => FeatureKeys.Named("k:" + c))];
    private static readonly ulong[] ClassPairKeys = [.. ConceptClass.All.Select(c => FeatureKeys.Named("k2:" + c))];
    private static readonly Dictionary<string, ulong> CategoryRuleKeys = Category.WithRumour.ToDictionary(c => c, c => FeatureKeys.Named("rc:" + c), StringComparer.Ordinal);
    private static readonly ulong[] TermKeys = [.. Category.TermFamilies.Select(c => FeatureKeys.Named("t:" + c))];
    private static readonly ulong AnyContact = FeatureKeys.Named("c:any");
    private static readonly Dictionary<string, ulong> ContactKeys = new[] { "qq", "qq_group", "wechat", "phone", "url" }.ToDictionary(c => c, c => FeatureKeys.Named("c:" + c), StringComparer.Ordinal);
    private static readonly ulong Quoted = FeatureKeys.Named("quoted");
    private static readonly ulong OpenPaper = FeatureKeys.Named("open_paper");
    private static readonly ulong[] LengthKeys = [.. new[] { "len:0", "len:1", "len:2", "len:3", "len:4" }.Select(FeatureKeys.Named)];

    internal static readonly string Mode = Environment.GetEnvironmentVariable("ENW_FEATURES") ?? "ngrams";
    private static readonly bool CharacterNgrams = Mode != "words";
    private static readonly bool WordFeatures = Mode != "ngrams";

    /// <summary>Sends every feature of <paramref name="evidence"/> to <paramref name="sink"/>; returns the number of n-grams sent.</summary>
    public static int Extract<TSink>(DetectionEvidence evidence, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        var ngrams = 0;
        if (CharacterNgrams)
        {
            if (evidence.Title is { } title)
            {
                ngrams += Ngrams(title.Value, ref sink);
            }

            ngrams += Ngrams(evidence.Text.Value, ref sink);
        }

        if (WordFeatures)
        {
            foreach (var hit in evidence.TitleConcepts)
            {
                sink.AddNgram(FeatureKeys.Named("w:" + hit.Term));
                ngrams++;
            }

            foreach (var hit in evidence.TextConcepts)
            {
                sink.AddNgram(FeatureKeys.Named("w:" + hit.Term));
                ngrams++;
            }

            foreach (var term in evidence.Terms)
            {
                sink.AddNgram(FeatureKeys.Named("w:" + term.Term));
                ngrams++;
            }
        }

        for (var i = 0; i < ClassKeys.Length; i++)
        {
            var count = evidence.ClassCounts[i];
            if (count > 0)
            {
                sink.AddNamed(ClassKeys[i], 1);
                if (count > 1)
                {
                    sink.AddNamed(ClassPairKeys[i], 1);
                }
            }
        }

        foreach (var fired in evidence.Combinations)
        {
            sink.AddNamed(fired.Rule.FeatureKey, 1);
        }

        if (evidence.Combinations.Count > 0)
        {
            foreach (var category in Category.WithRumour)
            {
                foreach (var fired in evidence.Combinations)
                {
                    if (fired.Rule.Category == category)
                    {
                        sink.AddNamed(CategoryRuleKeys[category], 1);
                        break;
                    }
                }
            }
        }

        for (var i = 0; i < TermKeys.Length; i++)
        {
            if (evidence.TermWeights[i] > 0)
            {
                sink.AddNamed(TermKeys[i], (float)evidence.TermWeights[i]);
            }
        }

        if (evidence.Contacts.Count > 0)
        {
            sink.AddNamed(AnyContact, 1);
            for (var i = 0; i < evidence.Contacts.Count; i++)
            {
                var kind = evidence.Contacts[i].Kind;
                var first = true;
                for (var j = 0; j < i && first; j++)
                {
                    first = evidence.Contacts[j].Kind != kind;
                }

                if (first && ContactKeys.TryGetValue(kind, out var key))
                {
                    sink.AddNamed(key, 1);
                }
            }
        }

        if (evidence.QuotedShare > 0)
        {
            sink.AddNamed(Quoted, (float)evidence.QuotedShare);
        }

        if (evidence.OpenPaper)
        {
            sink.AddNamed(OpenPaper, 1);
        }

        sink.AddNamed(LengthKeys[evidence.Length switch { < 30 => 0, < 80 => 1, < 200 => 2, < 500 => 3, _ => 4 }], 1);
        return ngrams;
    }

    /// <summary>The scale of the n-gram features of a post with <paramref name="count"/> of them (1/√count: long posts do not outweigh short ones).</summary>
    public static float NgramScale(int count) => count == 0 ? 0 : 1f / MathF.Sqrt(count);

    private static int Ngrams<TSink>(string text, ref TSink sink)
        where TSink : struct, IFeatureSink
    {
        // Characters and pairs of characters. Trigrams were measured too: they added nothing on the development split
        // and cost a third of the model's time.
        var count = 0;
        var previous = '\0';
        foreach (var raw in text)
        {
            var c = FeatureKeys.NgramChar(raw);
            if (c == '\0')
            {
                previous = '\0';
                continue;
            }

            if (c > '\u007F')
            {
                sink.AddNgram(FeatureKeys.Unigram(c));
                count++;
            }

            if (previous != '\0')
            {
                sink.AddNgram(FeatureKeys.Bigram(previous, c));
                count++;
            }

            previous = c;
        }

        return count;
    }
}
