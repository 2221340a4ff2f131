using RnnLab.Tasks.Text;

namespace RnnLab.Tasks.Translation;

/// <summary>How a sentence is cut into symbols: text elements (<c>char</c>) or whitespace-separated words (<c>word</c>).</summary>
public enum Tokenization
{
    Char,
    Word,
}

/// <summary>Splits and joins sentences for a <see cref="Tokenization"/>.</summary>
public static class Tokenizer
{
    public static Tokenization Parse(string text) => text switch
    {
        "char" => Tokenization.Char,
        "word" => Tokenization.Word,
        _ => throw new ArgumentException($"task option 'tokens' must be char or word, got '{text}'"),
    };

    public static string Name(Tokenization tokenization) => tokenization == Tokenization.Word ? "word" : "char";

    public static IReadOnlyList<string> Split(string sentence, Tokenization tokenization) => tokenization == Tokenization.Word
        ? sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        : CharVocabulary.Elements(sentence).ToArray();

    public static string Join(IEnumerable<string> symbols, Tokenization tokenization) =>
        tokenization == Tokenization.Word ? string.Join(' ', symbols) : string.Concat(symbols);
}
