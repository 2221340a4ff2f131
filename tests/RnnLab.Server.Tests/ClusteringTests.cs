using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Server.Tests;

public sealed class ClusteringTests
{
    [Fact]
    public async Task An_api_process_and_a_worker_process_form_one_cluster_on_postgres_and_run_a_sweep()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_cluster");
        try
        {
            // Started together, so both race to create the membership tables.
            var starting = new[] { "Api", "Worker" }.Select(role => LocalServer.StartAsync(Settings(role, connectionString))).ToList();
            await using var api = await starting[0];
            await using var worker = await starting[1];

            var workerSilo = worker.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var hosts = await ActiveSilosSeenByAsync(api, expected: 2);
            Assert.Equal(2, hosts.Count);
            Assert.Contains(workerSilo, hosts);

            using var channel = GrpcChannel.ForAddress(api.Address);
            var client = new SweepService.SweepServiceClient(channel);
            var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("cluster", trials: 6, epochs: 2) });

            // The api silo has no slots, so the sweep can only finish if the worker silo leases its trials.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            Sweep sweep;
            do
            {
                await Task.Delay(200, timeout.Token);
                sweep = await client.GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id }, cancellationToken: timeout.Token);
            }
            while (sweep.State is not (SweepState.Completed or SweepState.Failed or SweepState.Cancelled));

            Assert.Equal(SweepState.Completed, sweep.State);
            Assert.Equal(6, sweep.Trials.Completed);
            var trials = await client.ListTrialsAsync(new ListTrialsRequest { SweepId = submitted.Sweep.Id });
            Assert.Equal(6, trials.Trials.Count);
            Assert.All(trials.Trials, t => Assert.Equal(workerSilo.ToParsableString(), t.Worker));
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_is_dead_and_no_longer_a_gateway_as_seen_from_the_other_process()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_cluster");
        try
        {
            await using var api = await LocalServer.StartAsync(Settings("Api", connectionString));
            var worker = await LocalServer.StartAsync(Settings("Worker", connectionString));
            var apiSilo = api.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var workerSilo = worker.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            Assert.Contains(workerSilo, await ActiveSilosSeenByAsync(api, expected: 2));
            Assert.Contains(workerSilo.Generation, await ActiveGatewayGenerationsAsync(connectionString));

            await worker.DisposeAsync();

            // The stopping silo writes its own Dead row, and the survivor reads it from the shared table.
            var members = await api.Services.GetRequiredService<IMembershipTable>().ReadAllAsync(CancellationToken.None);
            var entry = Assert.Single(members.Members, m => m.Item1.SiloAddress.Equals(workerSilo)).Item1;
            Assert.Equal(SiloStatus.Dead, entry.Status);
            Assert.Equal([apiSilo], await ActiveSilosSeenByAsync(api, expected: 1, atMost: true));
            var gateways = await ActiveGatewayGenerationsAsync(connectionString);
            Assert.Equal([apiSilo.Generation], gateways);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Membership_tables_are_created_once_when_processes_start_together()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_cluster");
        try
        {
            var schema = new PostgresClusteringSchema(connectionString, NullLogger<PostgresClusteringSchema>.Instance);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => schema.EnsureCreatedAsync(CancellationToken.None)));
            await schema.EnsureCreatedAsync(CancellationToken.None);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey", connection);
            var keys = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    keys.Add(reader.GetString(0));
                }
            }

            // Every query the 10.4.2 clustering provider issues, each exactly once.
            Assert.Equal(
                [
                    "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
                    "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey",
                    "UpdateIAmAlivetimeKey", "UpdateMembershipKey",
                ],
                keys);
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task An_unknown_cluster_provider_is_refused_with_the_valid_names()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalServer.StartAsync(new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "Consul",
        }));

        Assert.Contains("Cluster:Provider", error.Message, StringComparison.Ordinal);
        Assert.Contains("Consul", error.Message, StringComparison.Ordinal);
        Assert.Contains("Localhost, Postgres", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The active silos in <paramref name="server"/>'s membership view, once it holds the expected count (at least, or
    /// with <paramref name="atMost"/> at most) or after 15 s.
    /// </summary>
    private static async Task<IReadOnlyCollection<SiloAddress>> ActiveSilosSeenByAsync(LocalServer server, int expected, bool atMost = false)
    {
        // A silo that joined a moment ago reaches the others' views by gossip, not instantly.
        var management = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var hosts = await management.GetHosts(onlyActive: true);
            if ((atMost ? hosts.Count <= expected : hosts.Count >= expected) || DateTime.UtcNow > deadline)
            {
                return hosts.Keys;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The generations of the silos that the stored gateway query lists, run as the clustering provider runs it.</summary>
    private static async Task<List<int>> ActiveGatewayGenerationsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        string query;
        await using (var read = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'", connection))
        {
            query = (string)(await read.ExecuteScalarAsync())!;
        }

        await using var command = new NpgsqlCommand(query, connection);
        command.Parameters.AddWithValue("DeploymentId", "cluster-test");
        command.Parameters.AddWithValue("Status", (int)SiloStatus.Active);
        var generations = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            generations.Add(reader.GetInt32(reader.GetOrdinal("Generation")));
        }

        return generations;
    }

    private static Dictionary<string, string?> Settings(string role, string connectionString) => new()
    {
        ["Role"] = role,
        ["Storage:Provider"] = "Postgres",
        ["Storage:ConnectionString"] = connectionString,
        ["Cluster:Provider"] = "Postgres",
        ["Cluster:ClusterId"] = "cluster-test",
        ["Cluster:ServiceId"] = "cluster-test",
        ["Slots"] = "2",
        ["BenchmarkTasks"] = "true",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
