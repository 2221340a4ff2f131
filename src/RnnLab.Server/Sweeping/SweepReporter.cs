using RnnLab.CellGraphs;
using RnnLab.Sweeps.Trials;
using System.Runtime.InteropServices;
using System.Text.Json;
using RnnLab.Reports;
using RnnLab.Storage;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Sweeping;

/// <summary>Builds a sweep's report (RnnLab.Reports) from the stored sweep and trials; used by the API and the embedded CLI.</summary>
public sealed class SweepReporter(ISweepStore sweeps, ITrialStore trials)
{
    /// <summary>The report's files, main document first; null when there is no such sweep.</summary>
    /// <exception cref="InvalidOperationException">The stored spec no longer parses.</exception>
    public async Task<IReadOnlyList<ReportFile>?> RenderAsync(Guid sweepId, ReportFormat format, string baseline = CellNames.Lstm,
        string name = "report", CancellationToken cancellationToken = default)
    {
        var sweep = await sweeps.GetAsync(sweepId, cancellationToken);
        if (sweep is null)
        {
            return null;
        }

        var report = SweepReportBuilder.Build(await InputAsync(sweep, baseline, cancellationToken));
        return ReportRenderer.Render(report, format, name);
    }

    /// <summary>What the report is built from.</summary>
    public async Task<ReportInput> InputAsync(SweepRecord sweep, string baseline, CancellationToken cancellationToken = default)
    {
        var parsed = SweepSpec.Parse(sweep.SpecText);
        var spec = parsed.Spec ?? throw new InvalidOperationException(
            "the sweep's spec no longer parses, so it cannot be reported: " + string.Join("; ", parsed.Errors));
        var stored = await trials.ListAsync(sweep.Id, null, cancellationToken);
        return new ReportInput(
            new ReportSweep(sweep.Id.ToString(), sweep.Name, sweep.State.ToString(), sweep.SpecText, sweep.CreatedAt, sweep.FinishedAt),
            spec,
            stored.Select(ToReport).ToList(),
            Machine(),
            baseline);
    }

    private static ReportTrial ToReport(TrialRecord trial)
    {
        var (metrics, epochs) = Result(trial.ResultJson);
        return new ReportTrial(trial.Number, ToDomain(trial.State), ParameterSet.FromJson(trial.ParametersJson), trial.Objective,
            metrics, epochs, trial.StartedAt, trial.FinishedAt, trial.Worker);
    }

    /// <summary>The final metrics and epoch count a trial recorded ({"epochs": N, "metrics": {...}}).</summary>
    private static (IReadOnlyDictionary<string, double> Metrics, int? Epochs) Result(string? json)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return (metrics, null);
        }

        using var document = JsonDocument.Parse(json);
        int? epochs = document.RootElement.TryGetProperty("epochs", out var e) && e.TryGetInt32(out var n) ? n : null;
        if (document.RootElement.TryGetProperty("metrics", out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number)
                {
                    metrics[property.Name] = property.Value.GetDouble();
                }
            }
        }

        return (metrics, epochs);
    }

    private static TrialState ToDomain(TrialState state) => Enum.Parse<TrialState>(state.ToString());

    /// <summary>Where the report was made: CPU model (Linux), cores, OS and runtime.</summary>
    public static string Machine()
    {
        var cpu = "";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?
                    .Split(':', 2)[1].Trim() ?? "";
            }
        }
        catch (IOException)
        {
            // The CPU model is a courtesy; the report stands without it.
        }

        return $"{(cpu.Length > 0 ? cpu + ", " : "")}{Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, " +
               $"{RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}";
    }
}
