namespace RnnLab.Tasks.Translation;

/// <summary>A source sentence and its translation.</summary>
public sealed record SentencePair(string Source, string Target);
