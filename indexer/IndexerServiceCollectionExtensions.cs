using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Segmentation;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Indexer;

/// <summary>Registers the indexer room.</summary>
public static class IndexerServiceCollectionExtensions
{
    /// <summary>Adds the lexicon, the detector, jieba segmentation and the Lucene index under <paramref name="indexPath"/>.</summary>
    public static IServiceCollection AddIndexer(this IServiceCollection services, string indexPath)
    {
        services.AddSingleton(_ => Lexicon.LoadDefault());
        services.AddSingleton(sp => new PostDetector(sp.GetRequiredService<Lexicon>()));
        services.AddSingleton(sp => ChineseSegmenter.Initialise(sp.GetRequiredService<Lexicon>().Terms.Select(t => t.Term)));
        services.AddSingleton<IPostIndex>(sp => new LucenePostIndex(indexPath, sp.GetRequiredService<ChineseSegmenter>()));
        return services;
    }
}
