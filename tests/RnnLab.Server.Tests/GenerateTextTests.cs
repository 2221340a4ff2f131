using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>A server that keeps a checkpoint after every epoch, so a two-epoch trial leaves one to generate from.</summary>
public sealed class CheckpointEveryEpochFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["CheckpointEvery"] = "1" };
}

public sealed class GenerateTextTests(CheckpointEveryEpochFixture fixture) : IClassFixture<CheckpointEveryEpochFixture>, IDisposable
{
    private const string Line = "the quick brown fox jumps over the lazy dog. 春眠不觉晓\n";
    private readonly SweepService.SweepServiceClient _client = fixture.Client;
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-generate-").FullName;

    [Fact]
    public async Task The_same_seed_gives_the_same_text_of_the_requested_length_in_the_training_vocabulary()
    {
        var trial = await FinishedTextTrialAsync();
        var request = new GenerateTextRequest { TrialId = trial.Id, Prefix = "the ", Length = 120, Temperature = 1.0, Seed = 11 };

        var first = await _client.GenerateTextAsync(request);
        var second = await _client.GenerateTextAsync(request);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(120, first.Text.Length);
        Assert.Equal(1, first.CheckpointEpoch);
        Assert.All(first.Text, c => Assert.Contains(c, Line));

        // Temperature 0 is greedy and needs no prefix: it starts from the newline the text has.
        var greedy = await _client.GenerateTextAsync(new GenerateTextRequest { TrialId = trial.Id, Length = 30, Seed = 1 });
        var greedyAgain = await _client.GenerateTextAsync(new GenerateTextRequest { TrialId = trial.Id, Length = 30, Seed = 2 });
        Assert.Equal(greedy.Text, greedyAgain.Text);
        Assert.Equal(30, greedy.Text.Length);
    }

    [Fact]
    public async Task A_prefix_outside_the_vocabulary_is_an_invalid_argument()
    {
        var trial = await FinishedTextTrialAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateTextAsync(
            new GenerateTextRequest { TrialId = trial.Id, Prefix = "XYZ", Length = 10, Temperature = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("prefix", error.Status.Detail);
        Assert.Contains("'X'", error.Status.Detail);
    }

    [Fact]
    public async Task Bad_length_and_temperature_name_their_fields()
    {
        var trial = await FinishedTextTrialAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateTextAsync(
            new GenerateTextRequest { TrialId = trial.Id, Length = 2001, Temperature = -0.5 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(["length", "temperature"], GrpcAssert.Violations(error).Select(v => v.Field));
        var nan = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateTextAsync(
            new GenerateTextRequest { TrialId = trial.Id, Length = 5, Temperature = double.NaN }).ResponseAsync);
        Assert.Equal(["temperature"], GrpcAssert.Violations(nan).Select(v => v.Field));
    }

    [Fact]
    public async Task A_trial_that_is_not_a_text_model_is_a_failed_precondition()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("generate-quadratic", trials: 1, epochs: 3) });
        await WaitFinishedAsync(submitted.Sweep.Id);
        var trial = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id })).Trials.Single();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateTextAsync(
            new GenerateTextRequest { TrialId = trial.Id, Length = 10, Temperature = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("quadratic", error.Status.Detail);
        Assert.Contains("not a character language model", error.Status.Detail);
    }

    [Fact]
    public async Task An_unknown_trial_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GenerateTextAsync(
            new GenerateTextRequest { TrialId = Guid.NewGuid().ToString(), Length = 10, Temperature = 1 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private async Task<Trial> FinishedTextTrialAsync()
    {
        // The text reaches the workers as an uploaded dataset, as it would from a remote user.
        var dataset = await DatasetUploads.UploadAsync(fixture.Datasets, "verse", "text",
            System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Line, 60))));
        var spec = $$"""
            name: generate-text
            task: { name: "{{dataset.Reference}}" }
            metric: { name: valid.bpc, direction: minimize }
            fixed: { hidden: 16, batch: 4, bptt: 16, epochs: 2, lr: 0.01, patience: 0 }
            search:
              sampler: { type: stratified, by: cell, seed: 3 }
              space:
                cell: { categorical: [lstm] }
            budget: { trials: 1, parallelism: 1 }
            seed: 3
            """;
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });
        await WaitFinishedAsync(submitted.Sweep.Id);
        var trial = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id })).Trials.Single();
        Assert.True(trial.State == TrialState.Completed, $"the text trial ended {trial.State}: {trial.Error}");
        return trial;
    }

    private async Task WaitFinishedAsync(string sweepId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = sweepId }, cancellationToken: timeout.Token);
        await foreach (var item in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            if (item.Event is { Kind: "sweep-finished" })
            {
                return;
            }
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
