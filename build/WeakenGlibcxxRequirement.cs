namespace RnnLab.Build
{
    using System;
    using System.IO;
    using System.Text;
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>Marks libLibTorchSharp.so's need for GLIBCXX_3.4.32 weak where the system libstdc++ lacks it.</summary>
    public sealed class WeakenGlibcxxRequirement : Task
    {
        private const string Version = "GLIBCXX_3.4.32";
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlgWeak = 0x2;

        [Required]
        public string Directory { get; set; } = "";

        public override bool Execute()
        {
            if (SystemHasVersion())
            {
                return true;
            }
            foreach (var relative in new[] { "libLibTorchSharp.so", "runtimes/linux-x64/native/libLibTorchSharp.so", "cpu/libLibTorchSharp.so" })
            {
                var path = Path.Combine(Directory, relative);
                if (File.Exists(path) && Weaken(path))
                {
                    Log.LogMessage(MessageImportance.High, $"RnnLab: marked {Version} weak in {path}");
                }
            }
            return !Log.HasLoggedErrors;
        }

        private static bool SystemHasVersion()
        {
            var candidates = new[]
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            var needle = Encoding.ASCII.GetBytes(Version + "\0");
            foreach (var candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    return IndexOf(File.ReadAllBytes(candidate), needle) >= 0;
                }
            }
            return false;
        }

        // Returns true when the file was changed.
        private bool Weaken(string path)
        {
            var elf = File.ReadAllBytes(path);
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            {
                return false; // not a little-endian ELF64 file
            }
            var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            var changed = false;
            for (var s = 0; s < shnum; s++)
            {
                var sh = shoff + (s * shentsize);
                if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
                {
                    continue;
                }
                var offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
                var link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
                var count = BitConverter.ToUInt32(elf, (int)sh + 0x2C);
                var strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (link * shentsize) + 0x18));
                var need = offset;
                for (var n = 0; n < count; n++)
                {
                    int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                    var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                    for (var a = 0; a < auxCount; a++)
                    {
                        var name = ReadString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                        var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if (name == Version && (flags & VerFlgWeak) == 0)
                        {
                            var weak = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                            elf[aux + 4] = weak[0];
                            elf[aux + 5] = weak[1];
                            changed = true;
                        }
                        aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                    }
                    need += BitConverter.ToUInt32(elf, (int)need + 12);
                }
            }
            if (changed)
            {
                var temporary = path + ".weak";
                File.WriteAllBytes(temporary, elf);
                // A rename, not a copy over: the output file may be a hard link into the NuGet package cache, which
                // must stay as the package shipped it.
                File.Delete(path);
                File.Move(temporary, path);
            }
            return changed;
        }

        private static string ReadString(byte[] bytes, long start)
        {
            var end = start;
            while (end < bytes.Length && bytes[end] != 0)
            {
                end++;
            }
            return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (var i = 0; i <= haystack.Length - needle.Length; i++)
            {
                var j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j])
                {
                    j++;
                }
                if (j == needle.Length)
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
