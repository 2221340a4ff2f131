using System.Net;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>The built server started as its own process from a folder other than its own, as a container or unit does.</summary>
public sealed class ServerProcessTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("rnnlab-process-");

    [Fact]
    public async Task Started_from_another_folder_it_reads_its_own_settings_answers_grpc_and_keeps_sqlite_in_the_data_folder()
    {
        var elsewhere = _root.CreateSubdirectory("elsewhere");
        var data = Path.Combine(_root.FullName, "data");
        await using var server = ServerProcess.Start(elsewhere.FullName, new Dictionary<string, string>
        {
            ["RNNLAB_DATAFOLDER"] = data,
            ["RNNLAB_SLOTS"] = "1",
            ["RNNLAB_BENCHMARKTASKS"] = "true",
        });
        await server.WaitReadyAsync(TimeSpan.FromSeconds(90));

        // The gRPC endpoint speaks h2c only if appsettings.json (Protocols: Http2) was read from the server's folder.
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new SweepService.SweepServiceClient(channel);
        var submitted = await client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("process", trials: 2, epochs: 2) });
        var listed = await client.ListSweepsAsync(new ListSweepsRequest());
        Assert.Contains(listed.Sweeps, s => s.Id == submitted.Sweep.Id);

        Assert.True(File.Exists(Path.Combine(data, "rnnlab.db")), $"no database in {data}:\n{server.Output}");
        Assert.Empty(elsewhere.GetFiles());

        using var http = new HttpClient { BaseAddress = server.WebAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Theory]
    [InlineData("Http1", "gRPC needs HTTP/2")]
    [InlineData("Http1AndHttp2", "serves HTTP/1.1 only")]
    public async Task A_grpc_endpoint_that_cannot_speak_http2_stops_the_server_at_start_naming_the_setting(string protocols, string reason)
    {
        await using var server = ServerProcess.Start(_root.FullName, new Dictionary<string, string>
        {
            ["RNNLAB_DATAFOLDER"] = Path.Combine(_root.FullName, "data"),
            ["RNNLAB_KESTREL__ENDPOINTS__GRPC__PROTOCOLS"] = protocols,
        });

        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("Kestrel:Endpoints:Grpc", server.Output, StringComparison.Ordinal);
        Assert.Contains(reason, server.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
