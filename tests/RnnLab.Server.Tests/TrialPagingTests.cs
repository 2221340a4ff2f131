using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>ListTrials pages over real gRPC: page tokens lead through every trial once, and only for the query they came from.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrialPagingTests(ServerFixture fixture)
{
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task Following_page_tokens_lists_every_trial_once_in_each_order()
    {
        // Maximized, so "objective" is highest first; cancelled after six trials, so the ones it stopped have no objective.
        var spec = Specs.Quadratic("paging-orders", trials: 24, epochs: 3, delayMs: 30, parallelism: 4).Replace("direction: minimize", "direction: maximize");
        var id = await RunAsync(spec, cancelAfterTrials: 6);
        var all = (await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, PageSize = 1000 })).Trials.ToList();
        Assert.True(all.Count >= 7, $"{all.Count} trials");
        Assert.Contains(all, t => t.HasObjective);
        Assert.Contains(all, t => !t.HasObjective);

        foreach (var order in new[] { "number", "objective", "-objective" })
        {
            foreach (var cells in new[] { Array.Empty<string>(), ["lstm"] })
            {
                var matching = all.Where(t => cells.Length == 0 || cells.Contains(t.Cell));
                var expected = (order switch
                {
                    "number" => matching.OrderBy(t => t.Number),
                    "objective" => matching.OrderBy(t => !t.HasObjective).ThenByDescending(t => t.HasObjective ? t.Objective : 0).ThenBy(t => t.Number),
                    _ => matching.OrderBy(t => !t.HasObjective).ThenBy(t => t.HasObjective ? t.Objective : 0).ThenBy(t => t.Number),
                }).Select(t => t.Id).ToList();
                foreach (var size in new[] { 1, 5 })
                {
                    var request = new ListTrialsRequest { SweepId = id, OrderBy = order, PageSize = size, Cells = { cells } };
                    var walked = new List<string>();
                    do
                    {
                        var page = await _client.ListTrialsAsync(request);
                        Assert.Equal(expected.Count, page.Total);
                        Assert.True(page.Trials.Count <= size);
                        walked.AddRange(page.Trials.Select(t => t.Id));
                        request.PageToken = page.NextPageToken;
                    }
                    while (request.PageToken.Length > 0);

                    Assert.Equal(expected, walked);
                }
            }
        }
    }

    [Fact]
    public async Task A_page_token_is_refused_with_another_query_or_when_damaged()
    {
        var id = await RunAsync(Specs.Quadratic("paging-tokens", trials: 6, epochs: 1), cancelAfterTrials: 0);
        var other = await RunAsync(Specs.Quadratic("paging-tokens-other", trials: 6, epochs: 1), cancelAfterTrials: 0);
        var first = await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, OrderBy = "objective", PageSize = 2 });
        var token = first.NextPageToken;
        Assert.NotEmpty(token);
        var second = await _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, OrderBy = "objective", PageSize = 3, PageToken = token });
        Assert.Equal(3, second.Trials.Count);

        ListTrialsRequest[] mismatched =
        [
            new() { SweepId = id, OrderBy = "-objective", PageSize = 2, PageToken = token },
            new() { SweepId = id, PageSize = 2, PageToken = token },
            new() { SweepId = id, OrderBy = "objective", PageSize = 2, PageToken = token, Cells = { "lstm" } },
            new() { SweepId = id, OrderBy = "objective", PageSize = 2, PageToken = token, States = { TrialState.Completed } },
            new() { SweepId = other, OrderBy = "objective", PageSize = 2, PageToken = token },
        ];
        foreach (var request in mismatched)
        {
            var refused = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _client.ListTrialsAsync(request).ResponseAsync);
            var violation = GrpcAssert.Violations(refused).Single();
            Assert.Equal("page_token", violation.Field);
            Assert.Contains("another sweep, filter or order", violation.Description);
        }

        var middle = token.Length / 2;
        var tampered = token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
        var offsetToken = Convert.ToBase64String("o:2"u8.ToArray());
        foreach (var bad in new[] { tampered, "xyz", "!!!!", offsetToken, token + "AA" })
        {
            var refused = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
                () => _client.ListTrialsAsync(new ListTrialsRequest { SweepId = id, OrderBy = "objective", PageSize = 2, PageToken = bad }).ResponseAsync);
            var violation = GrpcAssert.Violations(refused).Single();
            Assert.Equal("page_token", violation.Field);
            Assert.Contains("not a trial page token", violation.Description);
        }
    }

    /// <summary>Submits the sweep and waits until it is final, cancelling it once that many trials finished (0: never).</summary>
    private async Task<string> RunAsync(string spec, int cancelAfterTrials)
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec })).Sweep.Id;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = id, SkipSnapshot = true }, cancellationToken: timeout.Token);
        var finished = 0;
        await foreach (var item in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
            if (item.Event.Kind == "trial-finished" && ++finished == cancelAfterTrials)
            {
                await _client.CancelSweepAsync(new SweepActionRequest { SweepId = id });
            }
        }

        return id;
    }
}
