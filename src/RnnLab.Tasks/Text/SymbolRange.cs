namespace RnnLab.Tasks.Text;

/// <summary>A view of consecutive symbols of an <see cref="EncodedCorpus"/> (a split of it, for example).</summary>
public readonly record struct SymbolRange(EncodedCorpus Corpus, int Start, int Length)
{
    public int this[int index] => Corpus[Start + index];

    public long[] ToArray()
    {
        var ids = new long[Length];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = Corpus[Start + i];
        }

        return ids;
    }
}
