namespace RnnLab.Tasks.Translation;

/// <summary>Corpus BLEU-4 (Papineni et al. 2002) with one reference per sentence: the geometric mean of the clipped
/// 1- to 4-gram precisions summed over the whole corpus, times the brevity penalty exp(1 − r/c) when the
/// output's total length c is shorter than the references' r; 0 when any precision is 0 (no smoothing). On the
/// task's symbols (characters or words), scaled 0…100.</summary>
public static class Bleu
{
    public const int MaxOrder = 4;

    /// <summary>Adds one sentence's clipped n-gram matches and totals to <paramref name="counts"/>.</summary>
    public static void Count(IReadOnlyList<long> output, IReadOnlyList<long> reference, MetricCounts counts)
    {
        counts.Add("bleu.output_length", output.Count);
        counts.Add("bleu.reference_length", reference.Count);
        for (var n = 1; n <= MaxOrder; n++)
        {
            var referenceGrams = Grams(reference, n);
            var matches = 0;
            foreach (var (gram, count) in Grams(output, n))
            {
                matches += Math.Min(count, referenceGrams.GetValueOrDefault(gram));
            }

            counts.Add($"bleu.match{n}", matches);
            counts.Add($"bleu.total{n}", Math.Max(0, output.Count - n + 1));
        }
    }

    public static double Score(MetricCounts counts)
    {
        var logSum = 0.0;
        for (var n = 1; n <= MaxOrder; n++)
        {
            var matches = counts[$"bleu.match{n}"];
            var total = counts[$"bleu.total{n}"];
            if (matches == 0 || total == 0)
            {
                return 0;
            }

            logSum += Math.Log(matches / total);
        }

        var c = counts["bleu.output_length"];
        var r = counts["bleu.reference_length"];
        var brevity = c >= r ? 1 : Math.Exp(1 - (r / c));
        return 100 * brevity * Math.Exp(logSum / MaxOrder);
    }

    private static Dictionary<string, int> Grams(IReadOnlyList<long> symbols, int n)
    {
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i + n <= symbols.Count; i++)
        {
            var key = string.Join(',', Enumerable.Range(i, n).Select(j => symbols[j]));
            grams[key] = grams.GetValueOrDefault(key) + 1;
        }

        return grams;
    }
}
