namespace ExamNetWatch.Dashboard.Hosting;

/// <summary>The installation's key files under <c>keys/</c>: written once, readable and writable by the owner only.</summary>
public static class KeyFiles
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="make"/>'s bytes unless it exists; returns the file's bytes.</summary>
    public static byte[] ReadOrCreate(string path, Func<byte[]> make)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(make);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(make());
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }

        return File.ReadAllBytes(path);
    }
}
