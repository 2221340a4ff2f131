namespace RnnLab.Tasks.Translation;

/// <summary>How a translation task reads its sentences (task options <c>tokens</c>, <c>max_vocab</c>, <c>max_length</c>).</summary>
public sealed record TranslationOptions
{
    public Tokenization Tokenization { get; init; } = Tokenization.Char;

    /// <summary>Most frequent symbols kept per side; others read as unknown.</summary>
    public int MaxVocabulary { get; init; } = 10_000;

    /// <summary>Symbols per sentence; longer sentences are cut, and a decoder writes at most this many.</summary>
    public int MaxLength { get; init; } = 200;

    internal static TranslationOptions From(TaskOptions options, Tokenization defaultTokens) => new()
    {
        Tokenization = Tokenizer.Parse(options.GetString("tokens", Tokenizer.Name(defaultTokens))),
        MaxVocabulary = options.GetInt("max_vocab", 10_000, min: 1, max: 1_000_000),
        MaxLength = options.GetInt("max_length", 200, min: 1, max: 10_000),
    };
}
