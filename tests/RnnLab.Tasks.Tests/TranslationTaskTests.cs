using RnnLab.Tasks.Translation;
using TorchSharp;

namespace RnnLab.Tasks.Tests;

/// <summary>The translate task: generated pairs that check, TSV corpora split by seed, vocabularies with limits,
/// teacher-forcing batches, and corpus BLEU-4 with the brevity penalty.</summary>
public sealed class TranslationTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-translate-").FullName;

    public TranslationTaskTests() => torch.set_num_threads(1);

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(15, "fifteen")]
    [InlineData(40, "forty")]
    [InlineData(307, "three hundred seven")]
    [InlineData(4207, "four thousand two hundred seven")]
    [InlineData(90_000, "ninety thousand")]
    [InlineData(1_000_001, "one million one")]
    public void Number_words_spell_the_number(int value, string words)
    {
        Assert.Equal(words, GeneratedPairs.Words(value));
        Assert.Equal(new SentencePair(words, value.ToString(System.Globalization.CultureInfo.InvariantCulture)), GeneratedPairs.Number(value));
    }

    [Fact]
    public void Generated_dates_are_checkable_and_pairs_repeat_per_seed()
    {
        var dates = GeneratedPairs.Generate("dates", 50, 0, seed: 2);

        Assert.Equal(dates, GeneratedPairs.Generate("dates", 50, 0, seed: 2));
        Assert.NotEqual(dates, GeneratedPairs.Generate("dates", 50, 0, seed: 3));
        Assert.All(dates, pair =>
        {
            var date = DateOnly.ParseExact(pair.Target, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), pair.Source);
            Assert.Contains(date.ToString("MMMM", System.Globalization.CultureInfo.InvariantCulture).ToLowerInvariant(), pair.Source);
        });
        Assert.Contains("kind", Assert.Throws<ArgumentException>(() => GeneratedPairs.Generate("poems", 5, 0, 1)).Message);
    }

    [Fact]
    public void A_batch_teaches_the_decoder_the_target_shifted_behind_a_begin_token()
    {
        var task = new TranslationTask("t", [new("ab", "xyz"), new("abab", "x")], [new("a", "y")], [new("b", "z")], new TranslationOptions());
        using var batch = task.Batches(DataSplit.Valid, new BatchOptions(4, 0, 1, 0)).Single();
        using var train = task.Batches(DataSplit.Train, new BatchOptions(4, 0, 1, 0)).Single();

        var x = task.TargetVocabulary.Encode("x")[0];
        var y = task.TargetVocabulary.Encode("y")[0];
        Assert.Equal(new long[] { TokenVocabulary.Begin, y }, batch.DecoderInput!.data<long>().ToArray());
        Assert.Equal(new long[] { y, TokenVocabulary.End }, batch.Target.data<long>().ToArray());
        Assert.Equal([4L, 2L], train.Input.shape);
        Assert.Equal([4L, 2L], train.DecoderInput!.shape);
        Assert.Equal(6, train.Mask.sum().item<float>());
        Assert.Equal(TaskShape.SequenceToSequence, task.Shape);
        Assert.Equal(TaskHead.Sequence, task.Head);
        Assert.Equal([x], TranslationTask.References(train).Single(r => r.Length == 1));
    }

    [Fact]
    public void Vocabularies_keep_the_most_frequent_symbols_and_read_the_rest_as_unknown()
    {
        var vocabulary = TokenVocabulary.Build(["a a a b b c"], Tokenization.Word, maxSymbols: 2);

        Assert.Equal(TokenVocabulary.Reserved.Concat(["a", "b"]), vocabulary.Symbols);
        Assert.Equal(new long[] { 4, 5, TokenVocabulary.Unknown }, vocabulary.Encode("a b c"));
        Assert.Equal("a b <unk>", vocabulary.Decode([4, 5, TokenVocabulary.Unknown, TokenVocabulary.End]));
    }

    [Fact]
    public void A_tsv_corpus_is_split_by_seed_and_bad_lines_are_named()
    {
        var path = Path.Combine(_dir, "pairs.tsv");
        File.WriteAllLines(path, Enumerable.Range(0, 40).Select(i => $"the number {i}\tle nombre {i}"));
        var bad = Path.Combine(_dir, "bad.tsv");
        File.WriteAllLines(bad, ["one\tun", "two deux", "three\ttrois"]);

        var task = (TranslationTask)TaskCatalog.Create(path, new Dictionary<string, string> { ["valid_fraction"] = "0.1", ["test_fraction"] = "0.1" });
        var again = (TranslationTask)TaskCatalog.Create(path, new Dictionary<string, string> { ["valid_fraction"] = "0.1", ["test_fraction"] = "0.1" });

        Assert.Equal((32, 4, 4), (task.Count(DataSplit.Train), task.Count(DataSplit.Valid), task.Count(DataSplit.Test)));
        Assert.Equal(Tokenization.Word, task.Options.Tokenization);
        Assert.Equal(task.SourceVocabulary.Symbols, again.SourceVocabulary.Symbols);
        Assert.Contains("the", task.SourceVocabulary.Symbols);
        Assert.Contains("bad.tsv:2", Assert.Throws<InvalidDataException>(() => TaskCatalog.Create(bad)).Message);
        Assert.Contains("tokens", Assert.Throws<ArgumentException>(() => TaskCatalog.Create(path, new Dictionary<string, string> { ["tokens"] = "bytes" })).Message);
    }

    [Fact]
    public void Bleu_is_100_for_exact_output_and_follows_the_corpus_definition_otherwise()
    {
        var perfect = new MetricCounts();
        Bleu.Count([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], perfect);
        Assert.Equal(100, Bleu.Score(perfect), 6);

        // Output 1 2 3 4 6 against 1 2 3 4 5: precisions 4/5, 3/4, 2/3, 1/2; same length, no brevity penalty.
        var close = new MetricCounts();
        Bleu.Count([1, 2, 3, 4, 6], [1, 2, 3, 4, 5], close);
        Assert.Equal(100 * Math.Pow(4.0 / 5 * 3.0 / 4 * 2.0 / 3 * 1.0 / 2, 0.25), Bleu.Score(close), 6);

        // A correct but short output pays the brevity penalty exp(1 - r/c) = exp(1 - 8/4).
        var shortOutput = new MetricCounts();
        Bleu.Count([1, 2, 3, 4], [1, 2, 3, 4, 5, 6, 7, 8], shortOutput);
        Assert.Equal(100 * Math.Exp(1 - 2.0), Bleu.Score(shortOutput), 6);

        // Clipping: repeating a reference word earns it once.
        var repeated = new MetricCounts();
        Bleu.Count([7, 7, 7, 7], [7, 1, 2, 3], repeated);
        Assert.Equal(1, repeated["bleu.match1"]);
        Assert.Equal(0, Bleu.Score(repeated));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
