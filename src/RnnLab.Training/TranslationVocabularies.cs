using RnnLab.Tasks.Translation;

namespace RnnLab.Training;

/// <summary>What a translation checkpoint keeps of its task so it can translate without its data: the target
/// symbols and how sentences are cut into symbols (the source symbols are the checkpoint's vocabulary).</summary>
public sealed record TranslationVocabularies(string[] TargetSymbols, string Tokens, int MaxLength)
{
    public static TranslationVocabularies Of(TranslationTask task) =>
        new(task.TargetVocabulary.Symbols.ToArray(), Tokenizer.Name(task.Options.Tokenization), task.Options.MaxLength);
}
