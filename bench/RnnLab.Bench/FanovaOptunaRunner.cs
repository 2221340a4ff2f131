using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RnnLab.Sweeps.Space;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Bench;

/// <summary>Runs bench/optuna/fanova_optuna.py on the same trials through Debian's python3-optuna.</summary>
internal static class FanovaOptunaRunner
{
    public sealed record OptunaResult(string Version, double Seconds, double CpuSeconds, IReadOnlyDictionary<string, double> Importances);

    public static OptunaResult Run(IReadOnlyList<TrialSnapshot> trials, SearchSpace space, IReadOnlyList<string> parameters, long seed)
    {
        var python = Environment.GetEnvironmentVariable("RNNLAB_PYTHON") ?? "/usr/bin/python3";
        var script = Path.Combine(RepositoryRoot(), "bench", "optuna", "fanova_optuna.py");
        var input = Path.Combine(Path.GetTempPath(), $"rnnlab-fanova-{Environment.ProcessId}.json");
        File.WriteAllText(input, Export(trials, space, parameters, seed).ToJsonString());
        try
        {
            var start = new ProcessStartInfo(python, [script, input])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{python} {script} failed ({process.ExitCode}); install Optuna with scripts/install-bench-deps.sh\n{stderr.Result}");
            }

            var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
            return new OptunaResult(
                result["optuna"]!.GetValue<string>(),
                result["seconds"]!.GetValue<double>(),
                result["cpu_seconds"]!.GetValue<double>(),
                result["importances"]!.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value!.GetValue<double>()));
        }
        finally
        {
            File.Delete(input);
        }
    }

    private static JsonObject Export(IReadOnlyList<TrialSnapshot> trials, SearchSpace space, IReadOnlyList<string> parameters, long seed)
    {
        var parameterSpecs = new JsonArray();
        foreach (var name in parameters)
        {
            parameterSpecs.Add(space[name].Domain switch
            {
                IntegerDomain integer => new JsonObject
                {
                    ["name"] = name, ["type"] = "int", ["low"] = integer.LowInclusive, ["high"] = integer.HighInclusive, ["log"] = integer.Log,
                },
                RealDomain real => new JsonObject
                {
                    ["name"] = name, ["type"] = "float", ["low"] = real.Low, ["high"] = real.High, ["log"] = real.Log,
                },
                var other => throw new NotSupportedException($"{name}: the bench exports numeric parameters only, not {other}"),
            });
        }

        var trialArray = new JsonArray();
        foreach (var trial in trials)
        {
            var values = new JsonObject();
            foreach (var name in parameters)
            {
                var value = trial.Parameters[name];
                values[name] = value.Kind == RnnLab.Sweeps.Parameters.ParameterKind.Integer ? JsonValue.Create(value.AsLong()) : JsonValue.Create(value.AsDouble());
            }

            trialArray.Add(new JsonObject { ["params"] = values, ["value"] = trial.Value });
        }

        return new JsonObject
        {
            ["seed"] = seed,
            ["n_trees"] = 64,
            ["max_depth"] = 64,
            ["direction"] = "minimize",
            ["params"] = parameterSpecs,
            ["trials"] = trialArray,
        };
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RnnLab.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("RnnLab.sln not found above " + AppContext.BaseDirectory);
    }
}
