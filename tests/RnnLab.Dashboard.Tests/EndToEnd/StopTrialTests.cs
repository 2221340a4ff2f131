using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>The trial page's stop button forwards the visitor's key: a read key cannot stop a trial, a full key can.</summary>
public sealed class StopTrialTests
{
    private const string FullKey = "full-3c9e1a7b5d";
    private const string ReadKey = "read-6f2d8b4a1c";

    [Fact]
    public async Task The_stop_button_needs_a_full_key_and_ends_the_trial_cancelled()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_stop");
        try
        {
            await using var server = await LocalServer.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = connectionString,
                ["Api:Keys:0"] = FullKey,
                ["Api:ReadKeys:0"] = ReadKey,
                ["BenchmarkTasks"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await using var dashboard = await DashboardHost.StartAsync(server.Address, ReadKey);
            using var channel = GrpcChannel.ForAddress(server.Address);
            var client = new SweepService.SweepServiceClient(channel);
            var full = new Metadata { { "authorization", "Bearer " + FullKey } };
            var sweep = (await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("stop-button", 1, 30, 500, 1) }, full)).Sweep;
            var trial = await RunningTrialAsync(client, sweep.Id);
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = dashboard.Address };
            FormUrlEncodedContent Form(string key) => new(new Dictionary<string, string> { ["key"] = key });

            var page = await http.GetStringAsync($"/trials/{trial.Id}");
            var refused = await http.PostAsync($"/trials/{trial.Id}/stop", Form(ReadKey));
            var stopped = await http.PostAsync($"/trials/{trial.Id}/stop", Form(FullKey));

            Assert.Contains("data-testid=\"stop-trial\"", page);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("needs a full API key", await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Redirect, stopped.StatusCode);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await client.GetTrialAsync(new GetTrialRequest { TrialId = trial.Id }, cancellationToken: timeout.Token)).State != TrialState.Cancelled)
            {
                await Task.Delay(200, timeout.Token);
            }
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<Trial> RunningTrialAsync(SweepService.SweepServiceClient client, string sweepId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var trials = await client.ListTrialsAsync(new ListTrialsRequest { SweepId = sweepId }, cancellationToken: timeout.Token);
            if (trials.Trials.FirstOrDefault(t => t.State == TrialState.Running) is { } running)
            {
                return running;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
