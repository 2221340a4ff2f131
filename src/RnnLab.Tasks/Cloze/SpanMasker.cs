namespace RnnLab.Tasks.Cloze;

/// <summary>Chooses which positions of a window are hidden: spans of 1…<see cref="MaxSpan"/> symbols at random
/// places until at least <see cref="Fraction"/> of the window (and at least one symbol) is hidden.</summary>
public sealed record SpanMasker(double Fraction, int MaxSpan)
{
    public bool[] Choose(int length, Random random)
    {
        var hidden = new bool[length];
        var want = Math.Max(1, (int)Math.Round(length * Fraction));
        var count = 0;
        while (count < want)
        {
            var span = random.Next(1, MaxSpan + 1);
            var start = random.Next(0, length);
            for (var i = start; i < Math.Min(length, start + span) && count < want; i++)
            {
                if (!hidden[i])
                {
                    hidden[i] = true;
                    count++;
                }
            }
        }

        return hidden;
    }
}
