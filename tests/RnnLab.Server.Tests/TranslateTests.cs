using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>The Translate RPC: a translate trial's checkpoint translates (greedy and beam search, repeatably), with
/// the limits and errors of GenerateText.</summary>
public sealed class TranslateTests(CheckpointEveryEpochFixture fixture) : IClassFixture<CheckpointEveryEpochFixture>
{
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task A_translate_trial_translates_into_its_target_vocabulary_the_same_way_twice()
    {
        var trial = await FinishedTranslateTrialAsync();

        var greedy = await _client.TranslateAsync(new TranslateRequest { TrialId = trial.Id, Text = "forty two" });
        var beam = await _client.TranslateAsync(new TranslateRequest { TrialId = trial.Id, Text = "forty two", BeamWidth = 3 });
        var beamAgain = await _client.TranslateAsync(new TranslateRequest { TrialId = trial.Id, Text = "forty two", BeamWidth = 3 });

        Assert.Equal(beam.Translation, beamAgain.Translation);
        Assert.InRange(greedy.CheckpointEpoch, 1, 2);
        Assert.All(greedy.Translation + beam.Translation, c => Assert.True(char.IsAsciiDigit(c), $"'{c}' in {greedy.Translation} / {beam.Translation}"));

        var tooLong = await Assert.ThrowsAsync<RpcException>(() => _client.TranslateAsync(
            new TranslateRequest { TrialId = trial.Id, Text = new string('a', 2001), BeamWidth = 17 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Equal(["text", "beam_width"], GrpcAssert.Violations(tooLong).Select(v => v.Field));
    }

    [Fact]
    public async Task A_trial_that_is_not_a_translation_model_is_a_failed_precondition_and_an_unknown_one_not_found()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("translate-quadratic", trials: 1, epochs: 2) });
        await WaitFinishedAsync(submitted.Sweep.Id);
        var trial = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id })).Trials.Single();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.TranslateAsync(
            new TranslateRequest { TrialId = trial.Id, Text = "one" }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _client.TranslateAsync(
            new TranslateRequest { TrialId = Guid.NewGuid().ToString(), Text = "one" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("not a translation task", error.Status.Detail);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<Trial> FinishedTranslateTrialAsync()
    {
        const string spec = """
            name: translate-numbers
            task: { name: translate, options: { max_number: 99, train_size: 60, eval_size: 10 } }
            metric: { name: valid.nll, direction: minimize }
            fixed: { hidden: 16, batch: 8, epochs: 2, lr: 0.01, patience: 0, bidirectional: true }
            search:
              sampler: { type: stratified, by: cell, seed: 3 }
              space:
                cell: { categorical: [gru] }
            budget: { trials: 1, parallelism: 1 }
            seed: 3
            """;
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec });
        await WaitFinishedAsync(submitted.Sweep.Id);
        var trial = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id })).Trials.Single();
        Assert.True(trial.State == TrialState.Completed, $"the translate trial ended {trial.State}: {trial.Error}");
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
}
