using RnnLab.Tasks.Memory;
using TorchSharp;

namespace RnnLab.Tasks.Tests;

public sealed class MemoryTaskTests
{
    public MemoryTaskTests() => torch.set_num_threads(1);

    [Fact]
    public void AddingSequencesHaveOneMarkerPerHalfAndTheirSumAsTarget()
    {
        var task = new AddingTask("adding", 20, new GeneratedSplits(64, 64, 7));
        using var batch = task.Generate(64, seed: 11);

        var markers = batch.Input.select(2, 1);
        Assert.Equal(Enumerable.Repeat(2f, 64), markers.sum(0L).data<float>().ToArray());
        Assert.True(markers[..10].sum(0L).eq(1).all().item<bool>());
        var sums = (batch.Input.select(2, 0) * markers).sum(0L);
        Assert.True(sums.allclose(batch.Target.select(1, 0)));
    }

    [Fact]
    public void AddingAnsweringOneScoresTheBaseline()
    {
        var task = new AddingTask("adding", 30, new GeneratedSplits(20_000, 20_000, 3));
        var totals = Evaluate(task, DataSplit.Train, b => torch.ones(b.Size, 1));

        Assert.Equal(20_000, totals.Count);
        // 20,000 draws: the standard error of the estimate is about 0.0015.
        Assert.InRange(task.Summarize(totals)["mse"], AddingTask.Baseline - 0.005, AddingTask.Baseline + 0.005);
    }

    [Fact]
    public void GeneratedDataRepeatsPerSeedAndChangesPerEpochOnlyForTraining()
    {
        var task = new AddingTask("adding", 10, new GeneratedSplits(32, 32, 5));
        var other = new AddingTask("adding", 10, new GeneratedSplits(32, 32, 6));

        Assert.True(First(task, DataSplit.Train, 0).eq(First(task, DataSplit.Train, 0)).all().item<bool>());
        Assert.False(First(task, DataSplit.Train, 0).eq(First(task, DataSplit.Train, 1)).all().item<bool>());
        Assert.True(First(task, DataSplit.Valid, 0).eq(First(task, DataSplit.Valid, 3)).all().item<bool>());
        Assert.False(First(task, DataSplit.Valid, 0).eq(First(task, DataSplit.Test, 0)).all().item<bool>());
        Assert.False(First(task, DataSplit.Train, 0).eq(First(other, DataSplit.Train, 0)).all().item<bool>());
    }

    [Fact]
    public void CopySequenceLayout()
    {
        var task = new CopyMemoryTask("copy", delay: 6, symbols: 3, new GeneratedSplits(8, 8, 1));
        using var batch = task.Generate(8, seed: 2);

        Assert.Equal(12, batch.Steps);
        var input = batch.Input[.., 0].data<long>().ToArray();
        var target = batch.Target[.., 0].data<long>().ToArray();
        Assert.All(input[..3], s => Assert.InRange(s, 1, 8));
        Assert.All(input[3..8], s => Assert.Equal(0, s));
        Assert.Equal(CopyMemoryTask.Delimiter, input[8]);
        Assert.All(input[9..], s => Assert.Equal(0, s));
        Assert.All(target[..9], s => Assert.Equal(0, s));
        Assert.Equal(input[..3], target[9..]);
    }

    [Fact]
    public void CopyMemorylessModelScoresTheStatedBaseline()
    {
        var task = new CopyMemoryTask("copy", delay: 20, symbols: 5, new GeneratedSplits(100, 100, 1));
        var totals = Evaluate(task, DataSplit.Test, b =>
        {
            // Certain blank while the answer cannot have started, a uniform guess over the 8 symbols after.
            var logits = torch.full([b.Steps, b.Size, 9], -1e4f);
            logits[..25, .., 0] = torch.tensor(0f);
            logits[25.., .., 1..] = torch.tensor(0f);
            return logits;
        });

        Assert.Equal(5 * Math.Log(8) / 30, task.Baseline, 12);
        Assert.Equal(task.Baseline, task.Summarize(totals)["xent"], 4);
    }

    private static torch.Tensor First(ITask task, DataSplit split, int epoch)
    {
        using var batch = task.Batches(split, new BatchOptions(32, 0, 0, epoch)).First();
        return batch.Input.clone();
    }

    private static LossTotals Evaluate(ITask task, DataSplit split, Func<Batch, torch.Tensor> model)
    {
        var totals = new LossTotals();
        foreach (var batch in task.Batches(split, new BatchOptions(500, 0, 0, 0)))
        {
            using (batch)
            using (var output = model(batch))
            {
                var loss = task.Loss(output, batch);
                totals = totals.Add(loss.Sum.item<float>(), loss.Count);
                loss.Sum.Dispose();
            }
        }

        return totals;
    }
}
