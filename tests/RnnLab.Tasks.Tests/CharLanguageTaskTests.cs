using RnnLab.Tasks.Text;
using TorchSharp;

namespace RnnLab.Tasks.Tests;

public sealed class CharLanguageTaskTests
{
    public CharLanguageTaskTests() => torch.set_num_threads(1);

    [Fact]
    public void VocabularyIsMadeOfTextElements()
    {
        var vocabulary = CharVocabulary.FromText("春眠不觉晓，e\u0301 👍🏽 春");

        Assert.Contains("e\u0301", vocabulary.Symbols);
        Assert.Contains("👍🏽", vocabulary.Symbols);
        Assert.Contains("春", vocabulary.Symbols);
        Assert.Equal(9, vocabulary.Count);
        Assert.Equal("春眠 👍🏽", vocabulary.Decode(vocabulary.Encode("春眠 👍🏽")));
    }

    [Fact]
    public void UnknownSymbolIsNamed()
    {
        var vocabulary = CharVocabulary.FromText("abc");

        var error = Assert.Throws<ArgumentException>(() => vocabulary.Encode("abz"));

        Assert.Contains("'z'", error.Message);
        Assert.Contains("symbol 2", error.Message);
    }

    [Fact]
    public void TinyShakespeareSplitsByPosition()
    {
        var task = new CharLanguageTask("tinyshakespeare", File.ReadAllText(TestData.Shakespeare));

        Assert.Equal(65, task.Vocabulary.Count);
        var total = task.SplitLength(DataSplit.Train) + task.SplitLength(DataSplit.Valid) + task.SplitLength(DataSplit.Test);
        Assert.Equal(1_115_394, total);
        Assert.Equal(55_770, task.SplitLength(DataSplit.Valid));
    }

    [Fact]
    public void UniformModelScoresLog2OfTheVocabulary()
    {
        var task = new CharLanguageTask("poem", string.Concat(Enumerable.Repeat("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n", 40)));
        var totals = new LossTotals();
        foreach (var batch in task.Batches(DataSplit.Valid, new BatchOptions(3, 7, 0, 0)))
        {
            using (batch)
            using (var output = torch.zeros(batch.Steps, batch.Size, task.OutputSize))
            {
                var loss = task.Loss(output, batch);
                totals = totals.Add(loss.Sum.item<float>(), loss.Count);
                loss.Sum.Dispose();
            }
        }

        Assert.True(totals.Count > 0);
        Assert.Equal(Math.Log2(task.Vocabulary.Count), task.Summarize(totals)["bpc"], 4);
    }

    [Fact]
    public void StreamsContinueAcrossChunksAndTargetsAreTheNextSymbol()
    {
        var text = string.Concat(Enumerable.Range(0, 400).Select(i => (char)('a' + (i % 26))));
        var task = new CharLanguageTask("abc", text, 0.05, 0.05);

        var batches = task.Batches(DataSplit.Train, new BatchOptions(4, 10, 0, 0)).ToList();

        Assert.False(batches[0].ContinuesState);
        Assert.All(batches.Skip(1), b => Assert.True(b.ContinuesState));
        for (var i = 0; i + 1 < batches.Count; i++)
        {
            // The next chunk starts with the symbol the previous chunk's last step had to predict.
            Assert.True(batches[i].Target[-1].eq(batches[i + 1].Input[0]).all().item<bool>());
        }

        Assert.True(batches[0].Target[..^1].eq(batches[0].Input[1..]).all().item<bool>());
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public void EpochCharsWalksThroughTheText()
    {
        var text = string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + (i % 26))));
        var task = new CharLanguageTask("abc", text, 0.05, 0.05, epochSymbols: 80);

        var epoch0 = task.Batches(DataSplit.Train, new BatchOptions(4, 10, 0, 0)).ToList();
        var epoch1 = task.Batches(DataSplit.Train, new BatchOptions(4, 10, 0, 1)).ToList();

        Assert.Equal(2, epoch0.Count);
        Assert.False(epoch0[0].Input.eq(epoch1[0].Input).all().item<bool>());
        Assert.True(epoch0[1].Target[-1].eq(epoch1[0].Input[0]).all().item<bool>());
        epoch0.Concat(epoch1).ToList().ForEach(b => b.Dispose());
    }
}
