using RnnLab.Tasks.Music;
using TorchSharp;

namespace RnnLab.Tasks.Tests;

public sealed class PolyphonicMusicTaskTests
{
    private static readonly PianoRoll Jsb = PianoRollReader.Read(TestData.Jsb);

    public PolyphonicMusicTaskTests() => torch.set_num_threads(1);

    [Fact]
    public void KeyFrequencyModelNllEqualsTheClosedForm()
    {
        var task = new PolyphonicMusicTask("jsb", Jsb);
        var p = KeyFrequencies(Jsb.Train);
        using var logits = torch.tensor(p.Select(x => (float)Math.Log(x / (1 - x))).ToArray());

        var totals = new LossTotals();
        foreach (var batch in task.Batches(DataSplit.Test, new BatchOptions(16, 0, Seed: 1, Epoch: 0)))
        {
            using (batch)
            using (var output = logits.expand(batch.Target.shape))
            {
                var loss = task.Loss(output, batch);
                totals = totals.Add(loss.Sum.item<float>(), loss.Count);
                loss.Sum.Dispose();
            }
        }

        var closedForm = 0.0;
        foreach (var frame in Jsb.Test.SelectMany(s => s))
        {
            for (var k = 0; k < PianoRoll.Keys; k++)
            {
                closedForm -= frame.Contains(k) ? Math.Log(p[k]) : Math.Log(1 - p[k]);
            }
        }

        closedForm /= PianoRoll.Frames(Jsb.Test);
        Assert.Equal(4_725, totals.Count);
        Assert.Equal(closedForm, task.Summarize(totals)["nll"], 3);
        // The reference point for this baseline on JSB.
        Assert.InRange(closedForm, 10.9, 11.2);
    }

    [Fact]
    public void InputIsThePreviousFrameAndEveryFrameIsATarget()
    {
        var task = new PolyphonicMusicTask("jsb", Jsb);
        using var batch = task.Batches(DataSplit.Valid, new BatchOptions(4, 0, 1, 0)).First();

        var first = Jsb.Valid[0];
        Assert.Equal(0f, batch.Input[0, 0].sum().item<float>());
        foreach (var key in first[0])
        {
            Assert.Equal(1f, batch.Target[0, 0, key].item<float>());
            Assert.Equal(1f, batch.Input[1, 0, key].item<float>());
        }

        Assert.Equal(first.Count, (int)batch.Mask[.., 0].sum().item<float>());
    }

    [Fact]
    public void TrainOrderIsShuffledPerEpochAndRepeatsPerSeed()
    {
        var task = new PolyphonicMusicTask("jsb", Jsb);

        var a = Signature(task, seed: 3, epoch: 0);
        Assert.Equal(a, Signature(task, seed: 3, epoch: 0));
        Assert.NotEqual(a, Signature(task, seed: 3, epoch: 1));
        Assert.NotEqual(a, Signature(task, seed: 4, epoch: 0));
    }

    [Fact]
    public void PaddingIsMaskedAndCountsNoFrames()
    {
        var task = new PolyphonicMusicTask("jsb", Jsb);
        long frames = 0;
        foreach (var batch in task.Batches(DataSplit.Train, new BatchOptions(7, 0, 5, 2)))
        {
            using (batch)
            {
                frames += (long)batch.Mask.sum().item<float>();
            }
        }

        Assert.Equal(13_807, frames);
    }

    private static string Signature(PolyphonicMusicTask task, long seed, int epoch)
    {
        using var batch = task.Batches(DataSplit.Train, new BatchOptions(8, 0, seed, epoch)).First();
        return string.Join(",", Enumerable.Range(0, 8).Select(b => batch.Mask[.., b].sum().item<float>()));
    }

    private static double[] KeyFrequencies(IReadOnlyList<IReadOnlyList<int[]>> sequences)
    {
        // Laplace smoothing keeps keys never heard in training at a finite loss.
        var counts = new double[PianoRoll.Keys];
        var frames = 0;
        foreach (var frame in sequences.SelectMany(s => s))
        {
            frames++;
            foreach (var key in frame)
            {
                counts[key]++;
            }
        }

        return counts.Select(c => (c + 1) / (frames + 2)).ToArray();
    }
}
