namespace RnnLab.Tasks.Translation;

/// <summary>Builds translation tasks: the generated corpus behind the built-in name <c>translate</c> (options
/// <c>kind</c>, <c>train_size</c>, <c>eval_size</c>, <c>max_number</c>, <c>data_seed</c>) and a TSV file split by
/// <c>data_seed</c> (options <c>valid_fraction</c>, <c>test_fraction</c>); both take <c>tokens</c>,
/// <c>max_vocab</c> and <c>max_length</c>.</summary>
public static class TranslationCatalog
{
    public static TranslationTask Generated(string name, TaskOptions options)
    {
        var kind = options.GetString("kind", "numbers");
        var train = options.GetInt("train_size", 5000, min: 1, max: 10_000_000);
        var eval = options.GetInt("eval_size", 500, min: 1, max: 10_000_000);
        var maxNumber = options.GetInt("max_number", 99_999, min: 10, max: 999_999_999);
        var seed = options.GetInt("data_seed", 0);
        var settings = TranslationOptions.From(options, Tokenization.Char);
        var pairs = GeneratedPairs.Generate(kind, train + (2 * eval), maxNumber, seed);
        return new TranslationTask(name, pairs.Take(train).ToArray(), pairs.Skip(train).Take(eval).ToArray(), pairs.Skip(train + eval).ToArray(), settings);
    }

    public static TranslationTask FromFile(string path, TaskOptions options)
    {
        var validFraction = options.GetDouble("valid_fraction", 0.05, 0, 0.5);
        var testFraction = options.GetDouble("test_fraction", 0.05, 0, 0.5);
        var seed = options.GetInt("data_seed", 0);
        var settings = TranslationOptions.From(options, Tokenization.Word);
        var pairs = ParallelCorpusReader.Read(path).ToArray();
        new Random(Seeds.Derive(seed, 0x74737673)).Shuffle(pairs);
        var valid = Math.Max(1, (int)Math.Round(pairs.Length * validFraction));
        var test = Math.Max(1, (int)Math.Round(pairs.Length * testFraction));
        var train = pairs.Length - valid - test;
        if (train < 1)
        {
            throw new InvalidDataException($"{path}: {pairs.Length} sentence pairs leave none to train on after the valid and test parts");
        }

        return new TranslationTask(path, pairs[..train], pairs[train..(train + valid)], pairs[(train + valid)..], settings);
    }
}
