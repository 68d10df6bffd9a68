namespace ExamNetWatch.Indexer.Detection.Concepts;

/// <summary>A combination that fired, with one word for each of its groups (-1 for a group met by a contact of the post).</summary>
public sealed record FiredCombination(CombinationRule Rule, string Field, IReadOnlyList<ConceptHit> Words);

/// <summary>Evaluates combination rules over the concept words of one field.</summary>
internal static class CombinationMatcher
{
    private static readonly int ContactBit = 1 << ConceptClass.IndexOf(ConceptClass.Contact);

    /// <summary>
    /// Returns the words that satisfy <paramref name="rule"/> within its window (the leftmost such span), or null.
    /// A group that admits contacts is met by any contact of the post.
    /// </summary>
    public static ConceptHit[]? Match(CombinationRule rule, List<ConceptHit> hits, bool postHasContact)
    {
        var masks = rule.Masks;
        var needed = 0;
        for (var g = 0; g < masks.Length; g++)
        {
            if (!(postHasContact && (masks[g] & ContactBit) != 0))
            {
                needed |= 1 << g;
            }
        }

        if (needed == 0)
        {
            return new ConceptHit[masks.Length];
        }

        // Most rules fail on most posts: first, is every group met anywhere in the field at all?
        var anywhere = 0;
        foreach (var hit in hits)
        {
            anywhere |= GroupsOf(hit, masks, needed);
        }

        if (anywhere != needed)
        {
            return null;
        }

        var chosen = new ConceptHit[masks.Length];
        for (var i = 0; i < hits.Count; i++)
        {
            var left = hits[i];
            if (GroupsOf(left, masks, needed) == 0)
            {
                continue;
            }

            var met = 0;
            for (var j = i; j < hits.Count; j++)
            {
                var hit = hits[j];
                if (rule.Window > 0 && hit.End - left.Start > rule.Window)
                {
                    if (hit.Start - left.Start > rule.Window)
                    {
                        break;
                    }

                    continue;
                }

                // One word meets one group (无线 is a device and a trait, but not both at once): the first unmet one.
                var groups = GroupsOf(hit, masks, needed & ~met);
                if (groups == 0)
                {
                    continue;
                }

                var group = System.Numerics.BitOperations.TrailingZeroCount(groups);
                chosen[group] = hit;
                met |= 1 << group;
                if (met == needed)
                {
                    return chosen;
                }
            }
        }

        return null;
    }

    private static int GroupsOf(ConceptHit hit, int[] masks, int among)
    {
        var groups = 0;
        for (var g = 0; g < masks.Length; g++)
        {
            if ((among & (1 << g)) != 0 && (hit.Classes & masks[g]) != 0)
            {
                groups |= 1 << g;
            }
        }

        return groups;
    }
}
