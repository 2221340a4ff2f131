namespace RnnLab.Tasks.Text;

/// <summary>A text as one compact array of symbol ids (two bytes a symbol) and its vocabulary; ids follow the
/// ordinal order of the symbols, as in <see cref="CharVocabulary"/>. The text itself is not kept.</summary>
public sealed class EncodedCorpus
{
    internal EncodedCorpus(CharVocabulary vocabulary, ushort[] symbols, int length)
    {
        Vocabulary = vocabulary;
        Symbols = symbols;
        Length = length;
    }

    public CharVocabulary Vocabulary { get; }

    /// <summary>The ids; only the first <see cref="Length"/> are the text (the array may be longer).</summary>
    internal ushort[] Symbols { get; }

    public int Length { get; }

    /// <summary>The ids of symbols [start, start+length).</summary>
    public ReadOnlyMemory<ushort> Slice(int start, int length) => Symbols.AsMemory(start, length);

    public static EncodedCorpus FromText(string text) => CorpusReader.Read(new StringReader(text), text.Length);

    /// <summary>Reads a UTF-8 file as a stream; invalid UTF-8 is an error naming the file.</summary>
    public static EncodedCorpus Read(string path) => CorpusReader.ReadFile(path);
}
