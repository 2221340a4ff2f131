using System.Runtime.InteropServices;

namespace RnnLab.Tasks.Data;

/// <summary>
/// Decides whether a server-side path from a spec may be read: only a regular file under the size limit whose real
/// path (every symbolic link resolved) lies under one of <see cref="DataOptions.Roots"/>. Anything else — an absolute
/// path elsewhere, <c>..</c>, a link out of a root, a device such as <c>/dev/zero</c>, a FIFO, a directory — is refused.
/// </summary>
public static partial class DataRoots
{
    /// <summary>The real path to read, or a <see cref="DataAccessException"/> whose message says why not.</summary>
    public static string Resolve(string path, DataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowLocalPaths)
        {
            return path;
        }

        if (options.Roots.Count == 0)
        {
            throw new DataAccessException(
                $"'{path}' is a path on the server, and this server reads no server paths (Data:Roots is empty): upload the file " +
                "with 'rnnlab data push FILE' (or let 'rnnlab submit' do it) and name it as sha256:HASH or dataset:NAME");
        }

        var roots = options.Roots.Where(r => Directory.Exists(r)).Select(r => RealPath(Path.GetFullPath(r))).ToList();
        var candidates = Path.IsPathRooted(path) ? [path] : roots.Select(root => Path.Combine(root, path)).ToList();
        foreach (var candidate in candidates)
        {
            string real;
            try
            {
                real = RealPath(Path.GetFullPath(candidate));
            }
            catch (IOException)
            {
                continue;
            }

            if (!roots.Any(root => real.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                continue;
            }

            if (!IsRegularFile(real))
            {
                throw new DataAccessException($"'{path}' is not a regular file");
            }

            var size = new FileInfo(real).Length;
            if (size > options.MaxBytes)
            {
                throw new DataAccessException($"'{path}' is {size} bytes; the limit (Data:MaxBytes) is {options.MaxBytes}");
            }

            return real;
        }

        throw new DataAccessException($"'{path}' is not a file under a data root (Data:Roots: {string.Join(", ", options.Roots)})");
    }

    /// <summary>The path with every symbolic link along it resolved (like realpath(3)); missing parts stay as they are.</summary>
    internal static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var parts = new Queue<string>(fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var current = root;
        var links = 0;
        while (parts.TryDequeue(out var part))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > 40)
                {
                    throw new IOException($"too many symbolic links in '{fullPath}'");
                }

                // Resolve the target against the link's folder, then walk its parts again.
                var resolved = Path.GetFullPath(target, current);
                var rest = parts.ToList();
                current = Path.GetPathRoot(resolved) ?? "/";
                parts = new Queue<string>(resolved[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>True for a regular file; false for directories, devices, FIFOs, sockets and missing paths.</summary>
    internal static bool IsRegularFile(string path)
    {
        if (OperatingSystem.IsLinux() && StatMode(path) is { } mode)
        {
            const uint typeMask = 0xF000, regular = 0x8000;
            return (mode & typeMask) == regular;
        }

        return File.Exists(path) && !File.GetAttributes(path).HasFlag(FileAttributes.Directory);
    }

    // FileSystemInfo cannot tell a FIFO or a device from a file on Unix, and opening a FIFO to find out would block,
    // so the file type comes from stat(2). The offset of st_mode in struct stat differs between 64-bit ABIs.
    private static uint? StatMode(string path)
    {
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0)
        {
            return null;
        }

        var buffer = new byte[256];
        return Stat(path, buffer) == 0 ? BitConverter.ToUInt32(buffer, offset) : null;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, byte[] buffer);
}

/// <summary>A file a trial may not read, with the reason.</summary>
public sealed class DataAccessException(string message) : Exception(message);
