using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using RnnLab.Contracts.V1;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Server.Tests;

/// <summary>A real server (Kestrel on loopback, an Orleans silo, a fresh PostgreSQL database) and a gRPC client to it.</summary>
public class ServerFixture : IAsyncLifetime
{
    private GrpcChannel? _channel;
    private string? _connectionString;

    public LocalServer Server { get; private set; } = null!;

    public SweepService.SweepServiceClient Client { get; private set; } = null!;

    public string ConnectionString => _connectionString!;

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_api");
        var settings = new Dictionary<string, string?>
        {
            ["Role"] = "All",
            ["Storage:Provider"] = "Postgres",
            ["Storage:ConnectionString"] = _connectionString,
            ["Slots"] = "4",
            ["BenchmarkTasks"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        Server = await LocalServer.StartAsync(settings, Configure);
        _channel = GrpcChannel.ForAddress(Server.Address);
        Client = new SweepService.SweepServiceClient(_channel);
        Datasets = new DatasetService.DatasetServiceClient(_channel);
    }

    public DatasetService.DatasetServiceClient Datasets { get; private set; } = null!;

    /// <summary>A dataset client that sends <paramref name="key"/> as its bearer token.</summary>
    public DatasetService.DatasetServiceClient ClientWithKeyDatasets(string key) => new(Invoker("Bearer " + key));

    /// <summary>The raw call invoker of the channel, with <paramref name="authorization"/> as the header when given.</summary>
    public CallInvoker Invoker(string? authorization) =>
        authorization is null
            ? _channel!.CreateCallInvoker()
            : _channel!.Intercept(metadata =>
            {
                metadata.Add("authorization", authorization);
                return metadata;
            });

    /// <summary>A client that sends <paramref name="key"/> as its bearer token.</summary>
    public SweepService.SweepServiceClient ClientWithKey(string key) =>
        new(_channel!.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + key);
            return metadata;
        }));

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await Server.DisposeAsync();
        if (_connectionString is not null)
        {
            await TestPostgres.DropDatabaseAsync(_connectionString);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
