using System.Globalization;
using System.Text;

namespace RnnLab.Tasks.Text;

/// <summary>Encodes a text into symbol ids in one streamed pass: text elements (grapheme clusters) as
/// <see cref="CharVocabulary"/> defines them, ids given in order of first appearance and renumbered to ordinal
/// order at the end. Memory is the id array (one byte a symbol, two once the text has more than 256 distinct
/// symbols) and a read buffer, never the text itself.</summary>
internal static class CorpusReader
{
    private const int BufferChars = 1 << 20;

    // A cluster is taken only when this many characters follow it in the buffer (or the text has ended), so one
    // cut by the end of a read is never split; longer clusters are not found in real text.
    private const int Lookahead = 64;

    public static EncodedCorpus ReadFile(string path)
    {
        var bytes = new FileInfo(path).Length;
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentException($"{path}: {bytes:N0} bytes is more than one corpus can hold ({Array.MaxLength:N0} symbols); split it");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true, 1 << 20);
        try
        {
            // A UTF-8 file has at most one symbol per byte.
            return Read(reader, (int)bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{path}: not valid UTF-8 near byte {stream.Position - (1 << 20) + ex.Index:N0}", ex);
        }
    }

    /// <param name="capacity">At least the number of symbols the reader will give.</param>
    public static EncodedCorpus Read(TextReader reader, int capacity)
    {
        // Uninitialised: pages past the text's real length are never touched, so they cost no memory.
        capacity = Math.Max(capacity, 1);
        var narrow = GC.AllocateUninitializedArray<byte>(capacity);
        ushort[]? wide = null;
        var single = new int[char.MaxValue + 1];
        Array.Fill(single, -1);
        var clusters = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = clusters.GetAlternateLookup<ReadOnlySpan<char>>();
        var symbols = new List<string>();
        var buffer = new char[BufferChars];
        int filled = 0, length = 0;
        var ended = false;
        while (!ended || filled > 0)
        {
            if (!ended)
            {
                var read = reader.ReadBlock(buffer, filled, buffer.Length - filled);
                ended = read == 0;
                filled += read;
            }

            var limit = ended ? filled : filled - Lookahead;
            var at = 0;
            while (at < limit)
            {
                var c = buffer[at];
                int id, size;
                if (c < 0x80 && at + 1 < filled && buffer[at + 1] < 0x80 && !(c == '\r' && buffer[at + 1] == '\n'))
                {
                    size = 1;
                    id = single[c];
                    if (id < 0)
                    {
                        id = single[c] = Add(symbols, c.ToString());
                    }
                }
                else
                {
                    var span = buffer.AsSpan(at, filled - at);
                    size = StringInfo.GetNextTextElementLength(span);
                    var element = span[..size];
                    if (size == 1)
                    {
                        id = single[c];
                        if (id < 0)
                        {
                            id = single[c] = Add(symbols, c.ToString());
                        }
                    }
                    else if (!lookup.TryGetValue(element, out id))
                    {
                        var text = element.ToString();
                        id = clusters[text] = Add(symbols, text);
                    }
                }

                if (length == capacity)
                {
                    throw new ArgumentException($"the text has more than the {capacity:N0} symbols announced");
                }

                if (wide is not null)
                {
                    wide[length++] = (ushort)id;
                }
                else if (id <= byte.MaxValue)
                {
                    narrow![length++] = (byte)id;
                }
                else
                {
                    // The 257th distinct symbol: from here on ids take two bytes.
                    wide = GC.AllocateUninitializedArray<ushort>(capacity);
                    for (var i = 0; i < length; i++)
                    {
                        wide[i] = narrow![i];
                    }

                    narrow = null;
                    wide[length++] = (ushort)id;
                }

                at += size;
            }

            Array.Copy(buffer, at, buffer, 0, filled - at);
            filled -= at;
        }

        if (symbols.Count == 0)
        {
            throw new ArgumentException("the text is empty");
        }

        return Renumber(symbols, narrow, wide, length);
    }

    private static int Add(List<string> symbols, string symbol)
    {
        if (symbols.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"the text has more than {ushort.MaxValue + 1:N0} distinct symbols (text elements); a character model this wide is not supported");
        }

        symbols.Add(symbol);
        return symbols.Count - 1;
    }

    private static EncodedCorpus Renumber(List<string> symbols, byte[]? narrow, ushort[]? wide, int length)
    {
        var vocabulary = new CharVocabulary(symbols);
        var map = new ushort[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            map[i] = (ushort)vocabulary.IdOf(symbols[i]);
        }

        if (wide is not null)
        {
            var span = wide.AsSpan(0, length);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = map[span[i]];
            }
        }
        else
        {
            var span = narrow.AsSpan(0, length);
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (byte)map[span[i]];
            }
        }

        return new EncodedCorpus(vocabulary, wide is null ? narrow : null, wide, length);
    }
}
