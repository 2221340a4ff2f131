namespace RnnLab.Tasks.Translation;

/// <summary>The symbols of one side of a parallel corpus behind four reserved ids: padding, begin, end and unknown.
/// Built from training sentences: the <c>max_vocab</c> most frequent symbols (ties in ordinal order) are kept,
/// any other symbol reads as unknown.</summary>
public sealed class TokenVocabulary
{
    public const int Padding = 0;
    public const int Begin = 1;
    public const int End = 2;
    public const int Unknown = 3;

    public static IReadOnlyList<string> Reserved { get; } = ["<pad>", "<s>", "</s>", "<unk>"];

    private readonly Dictionary<string, int> _ids;

    /// <param name="symbols">Every symbol including the four reserved ones first, as <see cref="Symbols"/> gives them.</param>
    public TokenVocabulary(IReadOnlyList<string> symbols, Tokenization tokenization)
    {
        if (symbols.Count < Reserved.Count || !symbols.Take(Reserved.Count).SequenceEqual(Reserved))
        {
            throw new ArgumentException("a translation vocabulary starts with <pad>, <s>, </s>, <unk>");
        }

        Symbols = symbols;
        Tokenization = tokenization;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = Reserved.Count; i < symbols.Count; i++)
        {
            _ids.TryAdd(symbols[i], i);
        }
    }

    public IReadOnlyList<string> Symbols { get; }

    public Tokenization Tokenization { get; }

    public int Count => Symbols.Count;

    public static TokenVocabulary Build(IEnumerable<string> sentences, Tokenization tokenization, int maxSymbols)
    {
        var frequency = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var symbol in sentences.SelectMany(s => Tokenizer.Split(s, tokenization)))
        {
            frequency[symbol] = frequency.GetValueOrDefault(symbol) + 1;
        }

        var kept = frequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(maxSymbols).Select(p => p.Key).Order(StringComparer.Ordinal);
        return new TokenVocabulary(Reserved.Concat(kept).ToArray(), tokenization);
    }

    /// <summary>Ids of a sentence's symbols (unknown ones as <see cref="Unknown"/>), without begin/end.</summary>
    public long[] Encode(string sentence) =>
        Tokenizer.Split(sentence, Tokenization).Select(s => (long)_ids.GetValueOrDefault(s, Unknown)).ToArray();

    /// <summary>The sentence of ids; reserved ids other than unknown are left out.</summary>
    public string Decode(IEnumerable<long> ids) =>
        Tokenizer.Join(ids.Where(i => i == Unknown || i >= Reserved.Count).Select(i => Symbols[(int)i]), Tokenization);
}
