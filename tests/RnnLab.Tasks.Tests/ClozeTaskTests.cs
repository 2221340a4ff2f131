using RnnLab.Tasks.Cloze;
using RnnLab.Tasks.Text;
using TorchSharp;

namespace RnnLab.Tasks.Tests;

/// <summary>Cloze batches hide spans behind the mask token, ask only for the hidden symbols, repeat per seed and
/// change their training masks with the epoch; its metrics count the hidden positions only.</summary>
public sealed class ClozeTaskTests
{
    private static readonly string Text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200));

    public ClozeTaskTests() => torch.set_num_threads(1);

    private static ClozeTask Task(ClozeOptions? options = null) =>
        new("cloze", EncodedCorpus.FromText(Text), options ?? new ClozeOptions { Length = 40, MaskFraction = 0.2, MaxSpan = 3, DataSeed = 4 });

    [Fact]
    public void Hidden_positions_read_the_mask_token_and_only_they_are_targets()
    {
        var task = Task();
        using var batch = task.Batches(DataSplit.Train, new BatchOptions(8, 0, 1, 0)).First();
        var input = batch.Input.data<long>().ToArray();
        var target = batch.Target.data<long>().ToArray();

        Assert.Equal([40L, 8L], batch.Input.shape);
        Assert.Equal(TaskShape.Masked, task.Shape);
        Assert.Equal(task.Vocabulary.Count + 1, task.InputSize);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(input[i] == task.MaskToken, target[i] >= 0);
        }

        var hidden = target.Count(t => t >= 0);
        Assert.Equal(8 * 8, hidden);
    }

    [Fact]
    public void Masks_repeat_per_seed_change_per_epoch_and_stay_fixed_for_evaluation()
    {
        var task = Task();
        long[] First(DataSplit split, int epoch)
        {
            using var batch = task.Batches(split, new BatchOptions(8, 0, 1, epoch)).First();
            return batch.Input.data<long>().ToArray();
        }

        Assert.Equal(First(DataSplit.Train, 2), First(DataSplit.Train, 2));
        Assert.NotEqual(First(DataSplit.Train, 2), First(DataSplit.Train, 3));
        Assert.Equal(First(DataSplit.Valid, 0), First(DataSplit.Valid, 5));
    }

    [Fact]
    public void Loss_and_accuracy_count_hidden_symbols_only()
    {
        var task = Task();
        using var batch = task.Batches(DataSplit.Valid, new BatchOptions(4, 0, 1, 0)).First();
        // Logits that put all weight on the true symbol where one is hidden, and nonsense elsewhere.
        var target = batch.Target;
        var logits = torch.zeros(target.shape[0], target.shape[1], task.OutputSize);
        var hidden = target.ge(0);
        logits = logits.scatter(2, target.clamp_min(0).unsqueeze(2), hidden.unsqueeze(2).to(torch.float32) * 50);

        var loss = task.Loss(logits, batch);
        var counts = new MetricCounts();
        task.Count(logits, batch, counts);
        var metrics = task.Summarize(new LossTotals().Add(loss.Sum.item<float>(), loss.Count), counts);

        Assert.Equal(hidden.sum().item<long>(), loss.Count);
        Assert.Equal(1.0, metrics["accuracy"]);
        Assert.True(metrics["nll"] < 1e-6, $"nll {metrics["nll"]}");
    }

    [Fact]
    public void The_catalog_builds_cloze_on_tinyshakespeare_or_on_a_named_text_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rnnlab-cloze-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, Text);
        try
        {
            var builtIn = (ClozeTask)TaskCatalog.Create("cloze", new Dictionary<string, string> { ["length"] = "32" }, TestData.Directory);
            var named = (ClozeTask)TaskCatalog.Create("cloze:" + file);

            Assert.Equal(65, builtIn.Vocabulary.Count);
            Assert.Equal(32, builtIn.Options.Length);
            Assert.Equal(TextSymbols(), named.Vocabulary.Symbols);
            Assert.Contains("no such text file", Assert.Throws<ArgumentException>(() => TaskCatalog.Create("cloze:/no/such.txt")).Message);
        }
        finally
        {
            File.Delete(file);
        }

        static IReadOnlyList<string> TextSymbols() => CharVocabulary.FromText(Text).Symbols;
    }
}
