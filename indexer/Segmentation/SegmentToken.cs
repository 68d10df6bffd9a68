namespace ExamNetWatch.Indexer.Segmentation;

/// <summary>
/// A word of segmented text with its UTF-16 offsets. <see cref="PositionIncrement"/> is 0 for a sub-word that
/// overlaps the word before it (search-mode segmentation emits 中考 and 考答案 beside 中考答案), so phrase
/// queries and highlighting treat them as one position.
/// </summary>
public sealed record SegmentToken(string Word, int Start, int End, int PositionIncrement);
