using System.Text;

namespace RnnLab.Tasks.Translation;

/// <summary>Reads a parallel corpus: UTF-8, one pair per line, source TAB target. Blank lines are skipped; a line
/// without exactly one tab, or with an empty side, is an error naming the file and line.</summary>
public static class ParallelCorpusReader
{
    public static IReadOnlyList<SentencePair> Read(string path)
    {
        var pairs = new List<SentencePair>();
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
        var number = 0;
        try
        {
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var parts = line.Split('\t');
                if (parts.Length != 2 || parts[0].Trim().Length == 0 || parts[1].Trim().Length == 0)
                {
                    throw new InvalidDataException($"{path}:{number}: expected 'source<TAB>target' with both sides non-empty");
                }

                pairs.Add(new SentencePair(parts[0].Trim(), parts[1].Trim()));
            }
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"{path}:{number + 1}: not valid UTF-8", ex);
        }

        if (pairs.Count < 3)
        {
            throw new InvalidDataException($"{path}: {pairs.Count} sentence pairs; a parallel corpus needs at least 3 (train, valid, test)");
        }

        return pairs;
    }
}
