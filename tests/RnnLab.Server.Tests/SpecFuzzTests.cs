using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class SpecFuzzTests(ServerFixture fixture)
{
    private static readonly string[] Tokens =
    [
        "0", "-1", "1e400", "abc", "[]", "{}", "null", "true", "lstm", "{ categorical: [] }", "{ uniform: [1, 0] }",
        "\"\"", "~", "&a", "*a", "!!binary x", "{ int: [20, 10] }", "[1, 2, 3]", "'quoted'", "9999999999999999999999",
    ];

    [Fact]
    public async Task A_thousand_mutated_specs_are_each_accepted_or_rejected_with_field_paths_and_the_server_stays_up()
    {
        var random = new Random(20151);
        var valid = Specs.Quadratic("fuzz");
        int accepted = 0, rejected = 0;
        for (var i = 0; i < 1000; i++)
        {
            var spec = Mutate(valid, random);
            try
            {
                await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = spec, ValidateOnly = true });
                accepted++;
            }
            catch (RpcException exception)
            {
                Assert.True(exception.StatusCode == StatusCode.InvalidArgument, $"spec #{i} got {exception.StatusCode}: {exception.Status.Detail}\n{spec}");
                var violations = GrpcAssert.Violations(exception);
                Assert.NotEmpty(violations);
                Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));

                // Only a document that is not YAML at all has no field to point at.
                Assert.True(violations.Any(v => v.Field.Length > 0) || violations.All(v => v.Description.Contains("YAML") || v.Description.Contains("spec")),
                    $"spec #{i}: no field path in {string.Join("; ", violations)}");
                rejected++;
            }
        }

        Assert.True(accepted > 50 && rejected > 300, $"the mutations should both keep and break specs: {accepted} accepted, {rejected} rejected");
        using var channel = GrpcChannel.ForAddress(fixture.Server.Address);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        var submitted = await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = valid, ValidateOnly = true });
        Assert.Null(submitted.Sweep);
    }

    private static string Mutate(string spec, Random random)
    {
        var lines = spec.Split('\n').ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var index = random.Next(lines.Count);
            var line = lines[index];
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(index);
                    break;
                case 1:
                    lines.Insert(index, line);
                    break;
                case 2:
                    var colon = line.LastIndexOf(':');
                    if (colon > 0)
                    {
                        lines[index] = line[..(colon + 1)] + " " + Tokens[random.Next(Tokens.Length)];
                    }

                    break;
                case 3:
                    lines[index] = line.Replace(random.Next(10).ToString(), random.Next(1000).ToString());
                    break;
                case 4:
                    lines[index] = new string(' ', random.Next(0, 6)) + line.TrimStart();
                    break;
                case 5:
                    if (line.Length > 2)
                    {
                        var at = random.Next(line.Length);
                        lines[index] = line.Remove(at, 1).Insert(random.Next(line.Length - 1), line[at].ToString());
                    }

                    break;
                default:
                    // A harmless edit keeps some mutants valid.
                    lines[index] = line.Replace("seed: 3", $"seed: {random.Next(100)}").Replace("trials: 9", $"trials: {random.Next(1, 50)}");
                    break;
            }
        }

        return string.Join('\n', lines);
    }
}
