using RnnLab.Tasks;
using RnnLab.Tasks.Text;
using TorchSharp;

namespace RnnLab.Training.Tests;

public sealed class TextSamplerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-sampler-").FullName;

    public TextSamplerTests() => torch.set_num_threads(1);

    [Fact]
    public void SamplesRepeatPerSeedAndSurviveTheCheckpoint()
    {
        var (config, checkpoint) = TrainCharModel("静夜思：床前明月光，疑是地上霜。举头望明月，低头思故乡。\n");
        using var model = TrainedModel.Load(new MemoryStream(checkpoint.Bytes.ToArray()));
        var sampler = TextSampler.From(model);

        var a = sampler.Sample("床前", 60, 1.0, seed: 4);
        var b = sampler.Sample("床前", 60, 1.0, seed: 4);
        var c = sampler.Sample("床前", 60, 1.0, seed: 5);

        Assert.Equal(60, new System.Globalization.StringInfo(a).LengthInTextElements);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(CharVocabulary.Elements(a), s => Assert.Contains(s, model.Vocabulary!));
        Assert.Equal(config, model.Config);
    }

    [Fact]
    public void ZeroTemperatureFollowsTheLikeliestSymbol()
    {
        var (_, checkpoint) = TrainCharModel("abcdefgh\n");
        using var model = TrainedModel.Load(new MemoryStream(checkpoint.Bytes.ToArray()));
        var sampler = TextSampler.From(model);

        Assert.Equal(sampler.Sample("a", 20, 0, seed: 1), sampler.Sample("a", 20, 0, seed: 2));
    }

    [Fact]
    public void OnlyCharacterModelsGenerate()
    {
        var config = TrialRunnerTests.Adding with { Epochs = 1 };
        var run = TrialRunnerTests.RunCollecting(config);
        using var model = TrainedModel.Load(new MemoryStream(run.Checkpoints[^1].Bytes.ToArray()));

        var error = Assert.Throws<ArgumentException>(() => TextSampler.From(model));

        Assert.Contains("adding", error.Message);
    }

    private (TrialConfig Config, TrialCheckpoint Checkpoint) TrainCharModel(string line)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(line, 60)));
        var config = new TrialConfig { Task = path, Hidden = 16, Batch = 4, Bptt = 16, Epochs = 2, Seed = 3 };
        var run = TrialRunnerTests.RunCollecting(config);
        Assert.Equal(RunOutcome.Completed, run.Result.State);
        return (config, run.Checkpoints[^1]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
