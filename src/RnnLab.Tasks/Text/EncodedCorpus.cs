namespace RnnLab.Tasks.Text;

/// <summary>A text as one compact array of symbol ids — one byte a symbol while the vocabulary has at most 256
/// symbols, else two — and its vocabulary; ids follow the ordinal order of the symbols, as in
/// <see cref="CharVocabulary"/>. The text itself is not kept.</summary>
public sealed class EncodedCorpus
{
    private readonly byte[]? _narrow;
    private readonly ushort[]? _wide;

    internal EncodedCorpus(CharVocabulary vocabulary, byte[]? narrow, ushort[]? wide, int length)
    {
        Vocabulary = vocabulary;
        _narrow = narrow;
        _wide = wide;
        Length = length;
    }

    public CharVocabulary Vocabulary { get; }

    public int Length { get; }

    /// <summary>Bytes each symbol takes in memory: 1 or 2.</summary>
    public int BytesPerSymbol => _narrow is null ? 2 : 1;

    public int this[int index] => _narrow is not null ? _narrow[index] : _wide![index];

    /// <summary>Symbols [start, start+length), without copying.</summary>
    public SymbolRange Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + length, Length);
        return new SymbolRange(this, start, length);
    }

    public static EncodedCorpus FromText(string text) => CorpusReader.Read(new StringReader(text), text.Length);

    /// <summary>Reads a UTF-8 file as a stream; invalid UTF-8 is an error naming the file.</summary>
    public static EncodedCorpus Read(string path) => CorpusReader.ReadFile(path);
}
