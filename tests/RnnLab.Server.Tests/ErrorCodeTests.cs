using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ErrorCodeTests(ServerFixture fixture)
{
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task An_invalid_spec_is_INVALID_ARGUMENT_with_every_field_path()
    {
        var spec = Specs.Quadratic("bad name!").Replace("loguniform: [0.01, 1.0]", "loguniform: [-1, 1.0]").Replace("trials: 9", "trials: 0");

        var exception = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec }).ResponseAsync);

        var fields = GrpcAssert.Violations(exception).Select(v => v.Field).ToList();
        Assert.Contains("name", fields);
        Assert.Contains(fields, f => f.StartsWith("search.space.lr", StringComparison.Ordinal));
        Assert.Contains("budget.trials", fields);
        Assert.All(GrpcAssert.Violations(exception), v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
    }

    [Fact]
    public async Task A_spec_that_can_sample_a_bidirectional_network_on_a_next_step_task_is_INVALID_ARGUMENT()
    {
        var spec = Specs.Quadratic("leaky").Replace("task: { name: quadratic, options: { epochs: 3, delay_ms: 0 } }", "task: jsb-chorales")
            .Replace("hidden: { int: [20, 200] }", "hidden: { int: [20, 200] }\n    bidirectional: { categorical: [false, true] }");

        var exception = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec }).ResponseAsync);

        var violation = Assert.Single(GrpcAssert.Violations(exception));
        Assert.Equal("search.space.bidirectional", violation.Field);
        Assert.Contains("predicts the next step", violation.Description);
    }

    [Fact]
    public async Task A_structured_spec_is_validated_like_yaml()
    {
        var structured = Google.Protobuf.WellKnownTypes.Struct.Parser.ParseJson("""{ "name": "s", "task": "quadratic", "metric": "objective", "budget": { "trials": "many" } }""");

        var exception = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.SubmitSweepAsync(new SubmitSweepRequest { SpecStruct = structured }).ResponseAsync);

        Assert.Contains(GrpcAssert.Violations(exception), v => v.Field == "budget.trials");
    }

    [Fact]
    public async Task Missing_spec_and_malformed_ids_name_their_field()
    {
        var noSpec = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.SubmitSweepAsync(new SubmitSweepRequest()).ResponseAsync);
        Assert.Equal("spec", GrpcAssert.Violations(noSpec).Single().Field);

        var badId = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.GetSweepAsync(new GetSweepRequest { SweepId = "not-an-id" }).ResponseAsync);
        Assert.Equal("sweep_id", GrpcAssert.Violations(badId).Single().Field);

        var badTrial = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.GetTrialAsync(new GetTrialRequest()).ResponseAsync);
        Assert.Equal("trial_id", GrpcAssert.Violations(badTrial).Single().Field);
    }

    [Fact]
    public async Task Unknown_sweeps_and_trials_are_NOT_FOUND()
    {
        var id = Guid.NewGuid().ToString();
        await GrpcAssert.FailsAsync(StatusCode.NotFound, () => _client.GetSweepAsync(new GetSweepRequest { SweepId = id }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.NotFound, () => _client.CancelSweepAsync(new SweepActionRequest { SweepId = id }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.NotFound, () => _client.GetTrialAsync(new GetTrialRequest { TrialId = id }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.NotFound, () => _client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = id }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.NotFound, async () =>
        {
            using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = id });
            await call.ResponseStream.MoveNext();
        });
    }

    [Fact]
    public async Task Steering_a_finished_sweep_is_FAILED_PRECONDITION()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("finished", trials: 2, epochs: 1) });
        using (var call = _client.WatchSweep(new WatchSweepRequest { SweepId = submitted.Sweep.Id, SkipSnapshot = true }))
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        }

        foreach (var steer in new Func<SweepActionRequest, AsyncUnaryCall<Sweep>>[]
                 { r => _client.ResumeSweepAsync(r), r => _client.PauseSweepAsync(r), r => _client.CancelSweepAsync(r) })
        {
            var exception = await GrpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => steer(new SweepActionRequest { SweepId = submitted.Sweep.Id }).ResponseAsync);
            Assert.Contains("completed", exception.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Pause_resume_and_cancel_move_a_running_sweep()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("steered", trials: 20, epochs: 20, delayMs: 50, parallelism: 1) });
        var id = new SweepActionRequest { SweepId = submitted.Sweep.Id };

        Assert.Equal(SweepState.Paused, (await _client.PauseSweepAsync(id)).State);
        Assert.Equal(SweepState.Running, (await _client.ResumeSweepAsync(id)).State);
        var cancelled = await _client.CancelSweepAsync(id);
        Assert.Equal(SweepState.Cancelled, cancelled.State);
    }

    [Fact]
    public async Task Bad_paging_and_ordering_are_INVALID_ARGUMENT()
    {
        var submitted = await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("paging-errors", trials: 1, epochs: 1) });
        var id = submitted.Sweep.Id;

        var order = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, OrderBy = "colour" }).ResponseAsync);
        Assert.Equal("order_by", GrpcAssert.Violations(order).Single().Field);
        var token = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.ListSweepsAsync(new ListSweepsRequest { PageToken = "xyz" }).ResponseAsync);
        Assert.Equal("page_token", GrpcAssert.Violations(token).Single().Field);
        var size = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, PageSize = 5000 }).ResponseAsync);
        Assert.Equal("page_size", GrpcAssert.Violations(size).Single().Field);
        var table = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, async () =>
        {
            using var call = _client.ExportSweep(new ExportSweepRequest { SweepId = id, Table = "everything" });
            await call.ResponseStream.MoveNext();
        });
        Assert.Equal("table", GrpcAssert.Violations(table).Single().Field);
    }
}
