namespace RnnLab.Tasks.Text;

/// <summary>Cuts an encoded text by position into train, valid and test parts (views, no copies).</summary>
internal static class CorpusSplits
{
    public static (SymbolRange Train, SymbolRange Valid, SymbolRange Test) Cut(
        string name, EncodedCorpus corpus, double validFraction, double testFraction, int minimum = 2)
    {
        var length = corpus.Length;
        var validLength = (int)Math.Round(length * validFraction);
        var testLength = (int)Math.Round(length * testFraction);
        var trainLength = length - validLength - testLength;
        if (trainLength < minimum || (validFraction > 0 && validLength < minimum) || (testFraction > 0 && testLength < minimum))
        {
            throw new ArgumentException($"text '{name}' has {length} symbols: too short for a {1 - validFraction - testFraction:P0}/{validFraction:P0}/{testFraction:P0} split");
        }

        return (corpus.Slice(0, trainLength), corpus.Slice(trainLength, validLength), corpus.Slice(trainLength + validLength, testLength));
    }
}
