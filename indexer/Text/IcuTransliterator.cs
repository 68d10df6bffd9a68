using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ExamNetWatch.Indexer.Text;

/// <summary>
/// ICU transliteration (<c>utrans_*</c> of libicui18n) through P/Invoke: no served NuGet package converts traditional
/// to simplified Chinese or Han to pinyin, but the ICU that .NET itself uses on Linux does (<c>Hant-Hans</c>,
/// <c>Han-Latin; Latin-ASCII</c>). ICU exports its functions with a version suffix (<c>utrans_openU_72</c>), so the
/// library and suffix are probed once. Results are per character and cached, so offsets stay one to one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Two process-lifetime instances; ICU handles live as long as their threads.")]
public sealed unsafe class IcuTransliterator
{
    private const int UTransForward = 0;
    private static readonly Lazy<Api?> Functions = new(Load);

    private readonly string _id;
    private readonly ConcurrentDictionary<int, string> _cache = new();
    private readonly ThreadLocal<IntPtr> _handle;

    private IcuTransliterator(string id)
    {
        _id = id;
        _handle = new ThreadLocal<IntPtr>(Open);
    }

    /// <summary>Gets whether ICU's transliterators could be loaded on this machine.</summary>
    public static bool IsAvailable => Functions.Value is not null;

    /// <summary>Gets the traditional → simplified transliterator.</summary>
    public static IcuTransliterator TraditionalToSimplified { get; } = new("Hant-Hans");

    /// <summary>Gets the Han → toneless pinyin transliterator.</summary>
    public static IcuTransliterator HanToPinyin { get; } = new("Han-Latin; Latin-ASCII");

    /// <summary>Transliterates one character (a Unicode scalar value); cached.</summary>
    /// <exception cref="InvalidOperationException">ICU is not available.</exception>
    public string Transliterate(int codePoint) => _cache.GetOrAdd(codePoint, cp => Transliterate(char.ConvertFromUtf32(cp)));

    /// <summary>Transliterates a string.</summary>
    /// <exception cref="InvalidOperationException">ICU is not available or reported an error.</exception>
    public string Transliterate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var api = Functions.Value ?? throw new InvalidOperationException("ICU (libicui18n) is not available on this machine.");
        var capacity = (text.Length * 8) + 16;
        var buffer = new char[capacity];
        text.CopyTo(buffer);
        var length = text.Length;
        var limit = length;
        var status = 0;
        fixed (char* p = buffer)
        {
            api.TransUChars(_handle.Value, p, &length, capacity, 0, &limit, &status);
        }

        return status > 0 ? throw new InvalidOperationException($"ICU {_id} failed with error {status}.") : new string(buffer, 0, length);
    }

    private IntPtr Open()
    {
        var api = Functions.Value ?? throw new InvalidOperationException("ICU (libicui18n) is not available on this machine.");
        var parseError = stackalloc byte[72];
        var status = 0;
        IntPtr handle;
        fixed (char* id = _id)
        {
            handle = api.OpenU(id, _id.Length, UTransForward, null, 0, parseError, &status);
        }

        return status > 0 || handle == IntPtr.Zero ? throw new InvalidOperationException($"ICU could not open {_id} (error {status}).") : handle;
    }

    private static Api? Load()
    {
        string[] names = OperatingSystem.IsWindows() ? ["icu.dll", "icuin.dll"] : OperatingSystem.IsMacOS() ? ["libicucore.dylib"] : [];
        var candidates = names.Select(n => (Name: n, Suffix: string.Empty)).ToList();
        for (var version = 90; version >= 50; version--)
        {
            candidates.Add(($"libicui18n.so.{version}", "_" + version));
        }

        foreach (var (name, suffix) in candidates)
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(library, "utrans_openU" + suffix, out var open)
                && NativeLibrary.TryGetExport(library, "utrans_transUChars" + suffix, out var trans))
            {
                return new Api(
                    (delegate* unmanaged<char*, int, int, char*, int, byte*, int*, IntPtr>)open,
                    (delegate* unmanaged<IntPtr, char*, int*, int, int, int*, int*, void>)trans);
            }
        }

        return null;
    }

    private sealed class Api(
        delegate* unmanaged<char*, int, int, char*, int, byte*, int*, IntPtr> openU,
        delegate* unmanaged<IntPtr, char*, int*, int, int, int*, int*, void> transUChars)
    {
        public delegate* unmanaged<char*, int, int, char*, int, byte*, int*, IntPtr> OpenU { get; } = openU;

        public delegate* unmanaged<IntPtr, char*, int*, int, int, int*, int*, void> TransUChars { get; } = transUChars;
    }
}
