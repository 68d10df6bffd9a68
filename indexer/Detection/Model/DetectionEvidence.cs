using ExamNetWatch.Indexer.Detection.Concepts;

namespace ExamNetWatch.Indexer.Detection.Model;

/// <summary>
/// What the rules found in a post, before any verdict: the normalised fields, the concept words and combinations,
/// the lexicon's terms, the contacts. The model reads its features from here, and the verdict is made from it.
/// </summary>
internal sealed class DetectionEvidence
{
    public DetectionEvidence(NormalisedText? title, NormalisedText text)
    {
        Title = title;
        Text = text;
    }

    public NormalisedText? Title { get; }

    public NormalisedText Text { get; }

    /// <summary>Gets the concept words of the title, in order of start.</summary>
    public List<ConceptHit> TitleConcepts { get; } = [];

    /// <summary>Gets the concept words of the text, in order of start.</summary>
    public List<ConceptHit> TextConcepts { get; } = [];

    /// <summary>Gets the term matches (lexicon terms, patterns of a category, open papers).</summary>
    public List<TermMatch> Terms { get; } = [];

    public List<ContactInfo> Contacts { get; } = [];

    public List<FiredCombination> Combinations { get; } = [];

    /// <summary>Gets the number of words of each class of <see cref="ConceptClass.All"/> in both fields.</summary>
    public int[] ClassCounts { get; } = new int[ConceptClass.All.Count];

    /// <summary>Gets the summed weight of the words of each class (cue strength: offers, frames…).</summary>
    public double[] ClassWeights { get; } = new double[ConceptClass.All.Count];

    /// <summary>Returns the distinct words of class <paramref name="index"/> found in the post (at most <paramref name="limit"/>), for explanations.</summary>
    public List<string> WordsOf(int index, int limit = 4)
    {
        var words = new List<string>(2);
        Collect(TitleConcepts, index, limit, words);
        Collect(TextConcepts, index, limit, words);
        return words;

        static void Collect(List<ConceptHit> hits, int index, int limit, List<string> words)
        {
            foreach (var hit in hits)
            {
                if (words.Count == limit)
                {
                    return;
                }

                if (hit.Is(index) && !words.Contains(hit.Term))
                {
                    words.Add(hit.Term);
                }
            }
        }
    }

    /// <summary>Gets the share of the offer-side words that sit inside quotation marks (所谓“包过”), 0 to 1.</summary>
    public double QuotedShare { get; set; }

    /// <summary>Gets the strongest term weight of each category of <see cref="Category.TermFamilies"/>.</summary>
    public double[] TermWeights { get; } = new double[Category.TermFamilies.Count];

    /// <summary>Gets whether the post names the subject of a paper that is open now, with question or answer words.</summary>
    public bool OpenPaper { get; set; }

    /// <summary>Gets the length of both normalised fields.</summary>
    public int Length => (Title?.Value.Length ?? 0) + Text.Value.Length;

    public bool Has(string conceptClass) => ClassCounts[ConceptClass.IndexOf(conceptClass)] > 0;
}
