using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RnnLab.Bench;

/// <summary>
/// The peer: Optuna (Debian's python3-optuna 3.1) with RDB storage on the same PostgreSQL and the random sampler,
/// running the same quadratic objective with one reported step per trial.
/// </summary>
internal static class OrchestrationOptuna
{
    private const string Script = """
        import sys, time, json, logging
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        url, trials = sys.argv[1], int(sys.argv[2])
        storage = optuna.storages.RDBStorage(url)
        study = optuna.create_study(storage=storage, study_name="quadratic", sampler=optuna.samplers.RandomSampler(seed=1))
        def objective(trial):
            lr = trial.suggest_float("lr", 0.01, 1.0)
            momentum = trial.suggest_float("momentum", 0.0, 0.99)
            value = (lr - 0.3) ** 2 + (momentum - 0.3) ** 2 + 1.0
            trial.report(value, 1)
            return value
        start = time.perf_counter()
        study.optimize(objective, n_trials=trials)
        seconds = time.perf_counter() - start
        print(json.dumps({"optuna": optuna.__version__, "trials": trials, "seconds": seconds}))
        """;

    public sealed record Result(string Version, int Trials, double Seconds)
    {
        public double TrialsPerSecond => Trials / Seconds;
    }

    public static Result Run(string connectionString, int trials)
    {
        EnsureInstalled();
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var url = $"postgresql+psycopg2://{csb.Username}:{csb.Password}@{csb.Host}:{csb.Port}/{csb.Database}";
        var script = Path.Combine(Path.GetTempPath(), $"rnnlab-orchestration-optuna-{Environment.ProcessId}.py");
        File.WriteAllText(script, Script);
        try
        {
            var output = RunPython([script, url, trials.ToString(CultureInfo.InvariantCulture)]);
            var json = System.Text.Json.Nodes.JsonNode.Parse(output.Trim().Split('\n')[^1])!;
            return new Result(json["optuna"]!.GetValue<string>(), json["trials"]!.GetValue<int>(), json["seconds"]!.GetValue<double>());
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static void EnsureInstalled()
    {
        try
        {
            RunPython(["-c", "import optuna, psycopg2, sqlalchemy"]);
        }
        catch (InvalidOperationException)
        {
            Console.Error.WriteLine("installing python3-optuna and python3-psycopg2 (Debian)");
            var install = Process.Start(new ProcessStartInfo("bash", ["-c",
                "export DEBIAN_FRONTEND=noninteractive; (apt-get install -y -qq python3-optuna python3-psycopg2 || (apt-get update -qq && apt-get install -y -qq python3-optuna python3-psycopg2)) >&2"]))!;
            install.WaitForExit();
            RunPython(["-c", "import optuna, psycopg2, sqlalchemy"]);
        }
    }

    private static string RunPython(IEnumerable<string> arguments)
    {
        var python = Environment.GetEnvironmentVariable("RNNLAB_PYTHON") ?? "/usr/bin/python3";
        var start = new ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{python} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }
}
