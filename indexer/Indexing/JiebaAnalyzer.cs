using ExamNetWatch.Indexer.Segmentation;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace ExamNetWatch.Indexer.Indexing;

/// <summary>
/// Lucene analyzer over jieba tokens, lower-cased. For indexing (<paramref name="searchMode"/> true) sub-words of long
/// words are added at position increment 0, so 耳机 finds 米粒耳机; for queries each word is kept whole, so
/// 米粒耳机 does not find every 耳机.
/// </summary>
public sealed class JiebaAnalyzer(ChineseSegmenter segmenter, bool searchMode) : Analyzer
{
    /// <inheritdoc />
    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new JiebaTokenizer(segmenter, searchMode, reader);
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(LuceneVersion.LUCENE_48, tokenizer));
    }

    private sealed class JiebaTokenizer : Tokenizer
    {
        private readonly ChineseSegmenter _segmenter;
        private readonly bool _searchMode;
        private readonly ICharTermAttribute _term;
        private readonly IOffsetAttribute _offset;
        private readonly IPositionIncrementAttribute _position;
        private IReadOnlyList<SegmentToken> _tokens = [];
        private int _next;
        private int _length;

        public JiebaTokenizer(ChineseSegmenter segmenter, bool searchMode, TextReader reader)
            : base(reader)
        {
            _segmenter = segmenter;
            _searchMode = searchMode;
            _term = AddAttribute<ICharTermAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
            _position = AddAttribute<IPositionIncrementAttribute>();
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            if (_next >= _tokens.Count)
            {
                return false;
            }

            var token = _tokens[_next++];
            _term.SetEmpty().Append(token.Word);
            _offset.SetOffset(CorrectOffset(token.Start), CorrectOffset(token.End));
            _position.PositionIncrement = token.PositionIncrement;
            return true;
        }

        public override void Reset()
        {
            base.Reset();
            var text = m_input.ReadToEnd();
            _length = text.Length;
            _tokens = _segmenter.Tokenize(text, _searchMode);
            _next = 0;
        }

        public override void End()
        {
            base.End();
            var final = CorrectOffset(_length);
            _offset.SetOffset(final, final);
        }
    }
}
