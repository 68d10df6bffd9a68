using ExamNetWatch.Indexer.Detection;
using ExamNetWatch.Indexer.Indexing;
using ExamNetWatch.Indexer.Segmentation;
using Microsoft.Extensions.DependencyInjection;

namespace ExamNetWatch.Indexer;

/// <summary>What the host runs just before the embedded index commits (the reliability suite's kill point); optional.</summary>
public sealed record IndexCommitHook(Action Run);

/// <summary>Registers the indexer room.</summary>
public static class IndexerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the lexicon (from <paramref name="lexiconPath"/> when rules were imported there, else the shipped one), the
    /// detector, jieba segmentation and the index <see cref="IndexOptions"/> names (when registered, e.g. bound from
    /// section <c>Index</c>): Elasticsearch with its credentials and TLS trust (the production profile), else the
    /// embedded Lucene index under <paramref name="indexPath"/>.
    /// </summary>
    public static IServiceCollection AddIndexer(this IServiceCollection services, string indexPath, string? lexiconPath = null)
    {
        services.AddSingleton(_ => Lexicon.Load(lexiconPath));
        services.AddSingleton(sp => new PostDetector(sp.GetRequiredService<Lexicon>()));
        services.AddSingleton(sp => ChineseSegmenter.Initialise(sp.GetRequiredService<Lexicon>().Terms.Select(t => t.Term)));
        services.AddSingleton<IPostIndex>(sp => sp.GetService<Microsoft.Extensions.Options.IOptions<IndexOptions>>()?.Value is { EffectiveProvider: IndexProvider.Elasticsearch } index
            ? new ElasticsearchPostIndex(new Elastic.Clients.Elasticsearch.ElasticsearchClient(index.ClientSettings()), sp.GetRequiredService<ChineseSegmenter>(), index.Alias)
            : new LucenePostIndex(indexPath, sp.GetRequiredService<ChineseSegmenter>(), sp.GetService<IndexCommitHook>()?.Run));
        services.AddSingleton<ExamNetWatch.Indexer.Search.ISearch>(sp => sp.GetRequiredService<IPostIndex>());
        return services;
    }
}
