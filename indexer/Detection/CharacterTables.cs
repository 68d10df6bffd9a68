using System.Collections.Frozen;
using ExamNetWatch.Indexer.Text;

namespace ExamNetWatch.Indexer.Detection;

/// <summary>
/// Curated character tables of the normaliser: emoji that stand for words, look-alike characters, characters
/// written split in two, and traditional → simplified (ICU <c>Hant-Hans</c>, cached per character).
/// </summary>
internal static class CharacterTables
{
    /// <summary>Emoji used in place of words in offers (🎧 for 耳机, ➕ for 加…).</summary>
    public static FrozenDictionary<int, string> Emoji { get; } = new Dictionary<int, string>
    {
        [0x1F3A7] = "耳机", // 🎧
        [0x1F4F1] = "手机", // 📱
        [0x231A] = "手表", // ⌚
        [0x1F4F7] = "摄像头", // 📷
        [0x1F4F8] = "摄像头", // 📸
        [0x1F4F9] = "摄像头", // 📹
        [0x1F58A] = "笔", // 🖊
        [0x270F] = "笔", // ✏
        [0x1F4DD] = "答案", // 📝
        [0x2795] = "加", // ➕
        [0x1F427] = "企鹅", // 🐧 (QQ)
        [0x1F4B0] = "钱", // 💰
        [0x1F4AF] = "满分", // 💯
        [0x1F4E1] = "信号", // 📡
        [0x1F236] = "有", // 🈶
        [0x1F250] = "得", // 🉐
        [0x1F004] = "中", // 🀄 (🀄考 for 中考)
        [0x1F251] = "可", // 🉑
        [0x1F21A] = "无", // 🈚
        [0x1F51F] = "十", // 🔟
        [0x1F6F0] = "卫星", // 🛰 (卫星 for 微信)
        [0x1F442] = "耳", // 👂
    }.ToFrozenDictionary();

    /// <summary>Look-alike characters used to dodge word lists, mapped to the character they imitate.</summary>
    public static FrozenDictionary<char, char> LookAlikes { get; } = new Dictionary<char, char>
    {
        ['荅'] = '答', // 荅案
        ['佐'] = '作', // 佐弊
        ['蔽'] = '弊', // 作蔽
        ['獘'] = '弊',
        ['洘'] = '考',
        ['栲'] = '考',
        ['℃'] = 'c',
    }.ToFrozenDictionary();

    /// <summary>Characters written as their two components (亻乍 for 作), mapped back.</summary>
    public static FrozenDictionary<string, char> Split { get; } = new Dictionary<string, char>(StringComparer.Ordinal)
    {
        ["亻乍"] = '作',
        ["敝廾"] = '弊',
        ["竹合"] = '答',
        ["安木"] = '案',
        ["耂丂"] = '考',
        ["讠式"] = '试',
        ["言式"] = '试',
        ["君羊"] = '群', // 加君羊 for 加群
        ["木仓"] = '枪', // 木仓手 for 枪手
    }.ToFrozenDictionary();

    /// <summary>Gets the first components of <see cref="Split"/>, to test a character cheaply before building a pair.</summary>
    public static FrozenSet<char> SplitFirsts { get; } = Split.Keys.Select(k => k[0]).ToFrozenSet();

    /// <summary>Maps a traditional character to its simplified form (itself if ICU is missing or it has none).</summary>
    public static string Simplified(int codePoint)
    {
        if (!IcuTransliterator.IsAvailable)
        {
            return char.ConvertFromUtf32(codePoint);
        }

        var simplified = IcuTransliterator.TraditionalToSimplified.Transliterate(codePoint);
        return simplified.Length == 0 ? char.ConvertFromUtf32(codePoint) : simplified;
    }
}
