using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>A server with API keys configured, whose logs are captured (at every level).</summary>
public sealed class KeyedServerFixture : ServerFixture
{
    public const string WriteKey = "write-7d1c0e3f9a";
    public const string ReadKey = "read-4b2a8c6e1d";

    public CapturedLogs Logs { get; } = new();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Api:Keys:0"] = WriteKey,
        ["Api:ReadKeys:0"] = ReadKey,
        ["Api:AllowAnonymousReads"] = "true",
        ["Logging:LogLevel:Default"] = "Trace",
    };

    protected override void Configure(WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);

    /// <summary>Changes whether reads need a key, as an operator editing the configuration would.</summary>
    public void SetAnonymousReads(bool allowed)
    {
        var configuration = (IConfigurationRoot)Server.App.Configuration;
        configuration["Api:AllowAnonymousReads"] = allowed ? "true" : "false";
        configuration.Reload();
    }
}

public sealed class AuthTests(KeyedServerFixture fixture) : IClassFixture<KeyedServerFixture>
{
    private static SubmitSweepRequest Submit => new() { SpecYaml = Specs.Quadratic("auth", trials: 1, epochs: 1) };

    [Fact]
    public async Task With_keys_configured_mutating_calls_need_a_full_key()
    {
        await GrpcAssert.FailsAsync(StatusCode.Unauthenticated, () => fixture.Client.SubmitSweepAsync(Submit).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.Unauthenticated, () => fixture.ClientWithKey("wrong-key").SubmitSweepAsync(Submit).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.PermissionDenied, () => fixture.ClientWithKey(KeyedServerFixture.ReadKey).SubmitSweepAsync(Submit).ResponseAsync);

        var submitted = await fixture.ClientWithKey(KeyedServerFixture.WriteKey).SubmitSweepAsync(Submit);
        Assert.True(submitted.Created);
        await GrpcAssert.FailsAsync(StatusCode.PermissionDenied,
            () => fixture.ClientWithKey(KeyedServerFixture.ReadKey).CancelSweepAsync(new SweepActionRequest { SweepId = submitted.Sweep.Id }).ResponseAsync);
    }

    [Fact]
    public async Task The_cli_sends_the_key_from_RNNLAB_API_KEY()
    {
        var file = Path.Combine(Path.GetTempPath(), $"auth-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Specs.Quadratic("auth-cli", trials: 1, epochs: 1));
        var server = fixture.Server.Address.ToString();

        var anonymous = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_SERVER"] = server }, "submit", file, "--json");
        var readOnly = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_SERVER"] = server, ["RNNLAB_API_KEY"] = KeyedServerFixture.ReadKey }, "submit", file, "--json");
        var full = await CliRunner.RunAsync(new Dictionary<string, string> { ["RNNLAB_SERVER"] = server, ["RNNLAB_API_KEY"] = KeyedServerFixture.WriteKey }, "submit", file, "--json");

        Assert.Equal(5, anonymous.ExitCode);
        Assert.Equal(6, readOnly.ExitCode);
        Assert.True(full.ExitCode == 0, full.ToString());
    }

    [Fact]
    public async Task Reads_are_open_or_closed_by_configuration_and_keys_are_never_logged()
    {
        var submitted = await fixture.ClientWithKey(KeyedServerFixture.WriteKey).SubmitSweepAsync(Submit);
        var get = new GetSweepRequest { SweepId = submitted.Sweep.Id };
        try
        {
            Assert.Equal(submitted.Sweep.Id, (await fixture.Client.GetSweepAsync(get)).Id);

            fixture.SetAnonymousReads(false);
            await GrpcAssert.FailsAsync(StatusCode.Unauthenticated, () => fixture.Client.GetSweepAsync(get).ResponseAsync);
            await GrpcAssert.FailsAsync(StatusCode.Unauthenticated, () => fixture.ClientWithKey("wrong-key").GetSweepAsync(get).ResponseAsync);
            Assert.Equal(submitted.Sweep.Id, (await fixture.ClientWithKey(KeyedServerFixture.ReadKey).GetSweepAsync(get)).Id);
            Assert.Equal(submitted.Sweep.Id, (await fixture.ClientWithKey(KeyedServerFixture.WriteKey).GetSweepAsync(get)).Id);
        }
        finally
        {
            fixture.SetAnonymousReads(true);
        }

        Assert.NotEmpty(fixture.Logs.Lines);
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(KeyedServerFixture.WriteKey, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(KeyedServerFixture.ReadKey, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains("wrong-key", StringComparison.Ordinal));
    }
}

[Collection(ServerCollection.Name)]
public sealed class OpenServerTests(ServerFixture fixture)
{
    [Fact]
    public async Task Without_keys_configured_every_call_is_open()
    {
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("open", trials: 1, epochs: 1) });
        Assert.True(submitted.Created);

        // A key sent to an open server is simply not needed.
        var read = await fixture.ClientWithKey("anything").GetSweepAsync(new GetSweepRequest { SweepId = submitted.Sweep.Id });
        Assert.Equal(submitted.Sweep.Id, read.Id);
    }
}
