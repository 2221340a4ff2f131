using System.Globalization;
using RnnLab.Contracts.V1;
using Spectre.Console;

namespace RnnLab.Cli.Api;

/// <summary>Human-readable tables of sweeps, trials and analyses.</summary>
public static class SweepTables
{
    public static string State(SweepState state) => state.ToString().ToLowerInvariant();

    public static string State(TrialState state) => state.ToString().ToLowerInvariant();

    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString(Math.Abs(value) is > 0 and < 1e-3 ? "0.###e0" : "0.####", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    public static string Counts(Sweep s) => Counts(s.Trials, Math.Max(s.Budget, s.Trials.Total));

    private static string Counts(TrialCounts c, int budget) =>
        $"{c.Completed + c.Pruned + c.Diverged + c.Failed + c.Cancelled}/{budget} done ({c.Running} running, {c.Completed} completed, {c.Pruned} pruned, {c.Diverged} diverged, {c.Failed} failed)";

    public static Table Sweeps(IEnumerable<Sweep> sweeps)
    {
        var table = new Table().AddColumns("ID", "NAME", "STATE", "TRIALS", "BEST", "CREATED");
        foreach (var s in sweeps)
        {
            table.AddRow(
                Markup.Escape(s.Id), Markup.Escape(s.Name), State(s.State),
                $"{s.Trials.Completed + s.Trials.Pruned + s.Trials.Diverged + s.Trials.Failed + s.Trials.Cancelled}/{Math.Max(s.Budget, s.Trials.Total)}",
                s.HasBestObjective ? Number(s.BestObjective) : "-",
                s.CreatedAt?.ToDateTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "");
        }

        return table;
    }

    public static Grid Sweep(Sweep s)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("id", Markup.Escape(s.Id));
        grid.AddRow("name", Markup.Escape(s.Name));
        grid.AddRow("state", State(s.State));
        grid.AddRow("trials", Counts(s));
        grid.AddRow("objective", $"{Markup.Escape(s.Objective)} ({(s.Maximize ? "higher" : "lower")} is better)");
        grid.AddRow("best", s.HasBestObjective ? Number(s.BestObjective) : "-");
        grid.AddRow("created", s.CreatedAt?.ToDateTime().ToString("u", CultureInfo.InvariantCulture) ?? "");
        grid.AddRow("finished", s.FinishedAt?.ToDateTime().ToString("u", CultureInfo.InvariantCulture) ?? "-");
        grid.AddRow("last event", s.LastEvent.ToString(CultureInfo.InvariantCulture));
        return grid;
    }

    public static Table Trials(IEnumerable<Trial> trials, string objective)
    {
        var table = new Table().AddColumns("#", "CELL", "STATE", Markup.Escape(objective.Length == 0 ? "OBJECTIVE" : objective.ToUpperInvariant()), "PARAMETERS", "ID");
        foreach (var t in trials)
        {
            var parameters = string.Join(" ", t.Parameters.Fields
                .Where(f => f.Key != "cell" && f.Key != "cell_graph")
                .Select(f => $"{f.Key}={Value(f.Value)}"));
            table.AddRow(
                t.Number.ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Cell), State(t.State),
                t.HasObjective ? Number(t.Objective) : "-", Markup.Escape(parameters), Markup.Escape(t.Id));
        }

        return table;
    }

    public static Table Cells(SweepAnalysis analysis)
    {
        var table = new Table()
            .Title($"cells against {Markup.Escape(analysis.BaselineCell)} (Welch's t-test)")
            .AddColumns("CELL", "N", "MEAN", "STD", "MEDIAN", "BEST", "Δ MEAN", "t", "p", "");
        foreach (var c in analysis.Cells)
        {
            var verdict = c.SignificantlyBetter ? "[green]better[/]" : c.SignificantlyWorse ? "[red]worse[/]" : "";
            table.AddRow(
                Markup.Escape(c.Cell), c.Trials.ToString(CultureInfo.InvariantCulture), Number(c.Mean), Number(c.StdDev), Number(c.Median), Number(c.Best),
                c.HasMeanDifference ? Number(c.MeanDifference) : "-",
                c.HasTStatistic ? Number(c.TStatistic) : "-",
                c.HasPValue ? Number(c.PValue) : "-",
                verdict);
        }

        return table;
    }

    public static Table Importance(string title, IEnumerable<Importance> effects)
    {
        var table = new Table().Title(title).AddColumns("PARAMETERS", "SHARE OF VARIANCE");
        foreach (var e in effects)
        {
            table.AddRow(Markup.Escape(string.Join(" × ", e.Parameters)), e.Fraction.ToString("P1", CultureInfo.InvariantCulture));
        }

        return table;
    }

    public static void WriteAnalysis(IAnsiConsole console, SweepAnalysis analysis)
    {
        console.Write(Trials(analysis.Leaderboard, analysis.Objective).Title($"leaderboard ({analysis.FinishedTrials} finished trials)"));
        if (analysis.Cells.Count > 0)
        {
            console.Write(Cells(analysis));
        }

        if (analysis.MainEffects.Count > 0)
        {
            console.Write(Importance("fANOVA main effects", analysis.MainEffects));
        }

        if (analysis.PairwiseEffects.Count > 0)
        {
            console.Write(Importance("fANOVA pairwise effects", analysis.PairwiseEffects.Take(10)));
        }

        foreach (var note in analysis.Notes)
        {
            console.MarkupLineInterpolated($"[grey]note: {note}[/]");
        }
    }

    private static string Value(Google.Protobuf.WellKnownTypes.Value value) => value.KindCase switch
    {
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue => Number(value.NumberValue),
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue => value.StringValue,
        Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        _ => value.ToString(),
    };
}
