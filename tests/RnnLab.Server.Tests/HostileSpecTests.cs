using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>Specs built to break the parser, sent to a server in its own process: each is INVALID_ARGUMENT with a
/// reason, and the server is still serving after all of them.</summary>
public sealed class HostileSpecTests(ChildServer server) : IClassFixture<ChildServer>
{
    public static TheoryData<string, string, string> Hostile => new()
    {
        { "50,000 nested [ (YAML)", "name: deep\ntask: " + new string('[', 50_000), "nests deeper than 64 levels" },
        { "50,000 nested { (YAML)", "name: deep\ntask: " + string.Concat(Enumerable.Repeat("{a: ", 50_000)), "nests deeper than 64 levels" },
        { "indented mappings 1,000 deep", string.Concat(Enumerable.Range(0, 1_000).Select(i => new string(' ', i) + "a:\n")), "nests deeper than 64 levels" },
        { "50,000 nested [ (JSON)", "{\"task\": " + new string('[', 50_000), "nests deeper than 64 levels" },
        { "a time limit past TimeSpan", Specs.Quadratic("t").Replace("budget: {", "budget: { time_limit: 99999999999999d,"), "between 1s and 30 days" },
        { "a number past double (JSON)", "{\"name\": \"n\", \"seed\": 1e400}", "out of range" },
        { "a huge integer", Specs.Quadratic("h").Replace("seed: 3", "seed: 999999999999999999999999999"), "seed" },
        { "a NUL character", Specs.Quadratic("nul\0"), "NUL character" },
        { "alias expansion", string.Join("\n", new[] { "a0: &a0 [x, x]" }.Concat(Enumerable.Range(1, 30).Select(i => $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]"))), "nodes" },
        { "trials past the limit", Specs.Quadratic("b", trials: 100_001), "between 1 and 100000" },
        { "a trial too large for any worker", Specs.Quadratic("big").Replace("search:", "fixed: { batch: 65536, bptt: 10000, layers: 16 }\nsearch:"), "Api:MaxTrialBytes" },
        { "no trials", Specs.Quadratic("b0", trials: 0), "budget.trials: must be between 1 and 100000" },
        { "parallelism past the limit", Specs.Quadratic("p", parallelism: 1025), "budget.parallelism: must be between 1 and 1024" },
        { "retries past the limit", Specs.Quadratic("r") + "\nretries: 11", "retries" },
        { "a negative seed", Specs.Quadratic("s").Replace("seed: 3", "seed: -1"), "seed" },
        { "hidden past its bound", Specs.Quadratic("hb").Replace("hidden: { int: [20, 200] }", "hidden: { int: [0, 5000] }"), "hidden" },
        { "a sequence length past the limit", Specs.Quadratic("len").Replace("delay_ms: 0", "delay_ms: 0, length: 10001"), "sequence length" },
        { "a spec past the text limit", "name: x\n#" + new string('x', 1_000_001), "the limit is 1000000" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_spec_is_invalid_argument_and_the_server_keeps_serving(string what, string spec, string reason)
    {
        var error = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => server.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec, ValidateOnly = true }).ResponseAsync);

        Assert.True(GrpcAssert.Violations(error).Any(v => (v.Field + ": " + v.Description).Contains(reason, StringComparison.Ordinal)),
            $"{what}: {error.Status.Detail}");
        Assert.False(server.HasExited, $"{what} ended the server process");
        Assert.True(await server.IsServingAsync(), $"{what}: the server no longer serves");
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/dev/zero")]
    [InlineData("/proc/self/environ")]
    [InlineData("../../appsettings.json")]
    [InlineData("appsettings.json")]
    public async Task A_server_path_as_the_task_is_refused(string path)
    {
        var spec = Specs.Quadratic("paths").Replace("name: quadratic", $"name: '{path}'");

        var error = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => server.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec, ValidateOnly = true }).ResponseAsync);

        var violation = Assert.Single(GrpcAssert.Violations(error));
        Assert.Equal("task", violation.Field);
        Assert.Contains("rnnlab data push", violation.Description);
        Assert.True(await server.IsServingAsync());
    }
}
