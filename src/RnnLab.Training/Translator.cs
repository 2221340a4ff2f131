using RnnLab.Models.Seq2Seq;
using RnnLab.Tasks.Translation;
using TorchSharp;

namespace RnnLab.Training;

/// <summary>Translates sentences with a trained encoder–decoder: greedy decoding (beam width 1) or beam search.</summary>
public sealed class Translator
{
    private readonly Seq2SeqNetwork _network;
    private readonly TokenVocabulary _source;
    private readonly TokenVocabulary _target;
    private readonly int _maxLength;

    public Translator(Seq2SeqNetwork network, IReadOnlyList<string> sourceSymbols, TranslationVocabularies vocabularies)
    {
        var tokenization = Tokenizer.Parse(vocabularies.Tokens);
        _network = network;
        _source = new TokenVocabulary(sourceSymbols, tokenization);
        _target = new TokenVocabulary(vocabularies.TargetSymbols, tokenization);
        _maxLength = vocabularies.MaxLength;
    }

    public static Translator From(TrainedModel model) =>
        model.Seq2Seq is { } network && model.Vocabulary is { } source && model.Translation is { } target
            ? new Translator(network, source, target)
            : throw new ArgumentException($"the checkpoint is for task '{model.Config.Task}', not a translation model: it cannot translate");

    /// <summary>The translation of <paramref name="text"/>; beam width 1 is greedy decoding.</summary>
    public string Translate(string text, int beamWidth = 1)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("the text to translate must not be empty");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(beamWidth, 1);
        var ids = _source.Encode(text.Trim());
        if (ids.Length > _maxLength)
        {
            throw new ArgumentException($"the text has {ids.Length} symbols; the model reads at most {_maxLength}");
        }

        _network.eval();
        using var scope = torch.NewDisposeScope();
        using var source = torch.tensor(ids, [ids.Length, 1]);
        var decoder = new SequenceDecoder(_network, TokenVocabulary.Begin, TokenVocabulary.End);
        var output = beamWidth == 1
            ? decoder.Greedy(source, null, _maxLength)[0]
            : decoder.Beam(source, beamWidth, _maxLength).FirstOrDefault().Ids ?? [];
        return _target.Decode(output);
    }
}
