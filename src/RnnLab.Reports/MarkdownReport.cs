using RnnLab.CellGraphs;
using System.Globalization;
using System.Text;
using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports;

/// <summary>
/// Writes a report as Markdown. Each figure is placed by <c>figure</c>, which returns the Markdown for it (an image
/// link for a Markdown report, a placeholder the HTML writer replaces with the inline SVG).
/// </summary>
public static class MarkdownReport
{
    public static string Write(
        SweepReport report, IReadOnlyList<ReportFigure> figures, Func<ReportFigure, string> figure, Func<CellGraph, string>? architecture = null)
    {
        var input = report.Input;
        var spec = input.Spec;
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        void Figure(string name)
        {
            if (figures.FirstOrDefault(f => f.Name == name) is { } found)
            {
                Line(figure(found));
                Line();
                Line($"*{Escape(found.Caption)}*");
                Line();
            }
        }

        Line($"# Sweep report: {Escape(input.Sweep.Name)}");
        Line();
        Line($"Sweep `{input.Sweep.Id}` on task `{Escape(spec.Task.Name)}`, {input.Sweep.State.ToLowerInvariant()}; " +
             $"metric `{spec.Metric.Name}` ({spec.Metric.Direction.ToString().ToLowerInvariant()}d); sampler `{spec.Sampler.Type.ToString().ToLowerInvariant()}`" +
             (spec.Sampler.StratifyBy is { } by ? $" by `{by}`" : "") + $"; seed {spec.Seed}. Statistics: RnnLab.Sweeps.Analysis " +
             $"(the numbers `rnnlab analyze` and the dashboard show); Figure 3 and the findings use `{report.Figure3.Metric.Name}`.");
        Line();

        Line("## What ran");
        Line();
        var s = report.Summary;
        Line($"{s.Trials} trials: {s.Completed} completed, {s.Diverged} diverged, {s.Failed} failed; {s.TotalEpochs} epochs in all. " +
             $"Wall time {Format.Duration(s.WallTime)} (first start to last finish), trial time {Format.Duration(s.TrialTime)} summed over trials. " +
             $"Created {input.Sweep.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}" +
             (input.Sweep.FinishedAt is { } finished ? $", finished {finished.ToString("u", CultureInfo.InvariantCulture)}." : "."));
        Line();
        Line($"Machine: {Escape(s.Machine)}." + (s.Workers.Count > 0 ? $" Workers: {Escape(string.Join(", ", s.Workers))}." : ""));
        Line();
        Line($"| {SweepReportBuilder.DefaultStratum} | trials | completed | pruned | diverged | failed | cancelled | unfinished |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in report.Runs)
        {
            Line($"| {Escape(run.Stratum)} | {run.Trials} | {run.Completed} | {run.Pruned} | {run.Diverged} | {run.Failed} | {run.Cancelled} | {run.Unfinished} |");
        }

        Line();
        if (report.Findings.Count > 0)
        {
            Line("## Findings against the paper");
            Line();
            Line("Claims of Greff et al., *LSTM: A Search Space Odyssey*, next to what this sweep shows " +
                 $"(Welch's t-test on `{report.Figure3.Metric.Name}` over all completed trials, p < {WelchTest.DefaultAlpha}; fANOVA on `{spec.Metric.Name}`; " +
                 $"interactions count as small when all pairs together explain less than {OdysseyFindings.SmallInteractionRatio:0.#}× the main effects).");
            Line();
            Line("| claim | paper | this sweep | agrees |");
            Line("|---|---|---|---|");
            foreach (var finding in report.Findings)
            {
                var verdict = finding.Verdict switch { Verdict.Agrees => "yes", Verdict.Disagrees => "**no**", _ => "–" };
                Line($"| {Escape(finding.Claim)} | {Escape(finding.Paper)} | {Escape(finding.ThisSweep)} | {verdict} |");
            }

            Line();
        }

        Line($"## Variants compared with {Escape(input.Baseline)} (Figure 3)");
        Line();
        Figure("figure3-all");
        Figure("figure3-best");
        var comparison = report.Figure3;
        var all = comparison.AllTrials.ToDictionary(c => c.Stratum.ToString(), StringComparer.Ordinal);
        var best = comparison.BestTrials.ToDictionary(c => c.Stratum.ToString(), StringComparer.Ordinal);
        Line($"| {SweepReportBuilder.DefaultStratum} | n | mean | std | median | best | Δ mean | p (all) | p (best {Format.Percent(input.BestFraction)}) | diverged |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var stratum in ReportFigures.Ordered(comparison, input.Baseline))
        {
            var name = stratum.Stratum.ToString();
            var a = all.GetValueOrDefault(name)?.Test;
            var b = best.GetValueOrDefault(name)?.Test;
            Line($"| {Escape(name)} | {stratum.All.Count} | {Format.Number(stratum.All.Mean)} | {Format.Number(stratum.All.StandardDeviation)} | " +
                 $"{Format.Number(stratum.All.Median)} | {Format.Number(stratum.All.Best)} | {(a is null ? "–" : Signed(a.MeanDifference))} | " +
                 $"{P(a)} | {P(b)} | {stratum.Diverged} |");
        }

        Line();
        Line("## Hyperparameter importance (Figures 4 and 5)");
        Line();
        if (report.Analysis.Fanova is { } fanova)
        {
            Line($"fANOVA (Hutter et al. 2014) on `{spec.Metric.Name}` over {fanova.TrialCount} trials (diverged trials count at the worst observed value), " +
                 "log-scale parameters analysed in the scale they were sampled in.");
            Line();
            Figure("figure4-importance");
            Line("| parameter | fraction of variance | std over trees |");
            Line("|---|---:|---:|");
            foreach (var main in fanova.MainEffects)
            {
                Line($"| {Escape(main.Parameter)} | {Format.Number(main.Fraction)} | {Format.Number(main.StandardDeviation)} |");
            }

            Line();
            Figure("figure4-interactions");
            Line("| pair | fraction of variance | std over trees |");
            Line("|---|---:|---:|");
            foreach (var pair in fanova.Pairs.Take(10))
            {
                Line($"| {Escape(pair.First)} × {Escape(pair.Second)} | {Format.Number(pair.Fraction)} | {Format.Number(pair.StandardDeviation)} |");
            }

            Line();
            foreach (var curve in fanova.Curves)
            {
                Figure($"figure5-marginal-{curve.Parameter.Replace('_', '-')}");
            }
        }
        else
        {
            Line($"No fANOVA: {Escape(report.Analysis.FanovaSkipped ?? "not computed")}.");
            Line();
        }

        Line($"## Leaderboard (by `{spec.Metric.Name}`)");
        Line();
        var testName = report.Test?.Metric.Name;
        var byNumber = input.Trials.ToDictionary(t => (long)t.Number);
        var searched = spec.Space.Searched.Select(p => p.Name).Where(n => n != SweepReportBuilder.DefaultStratum).ToList();
        Line($"| rank | trial | {SweepReportBuilder.DefaultStratum} | {spec.Metric.Name} |" + (testName is null ? "" : $" {testName} |") +
             string.Concat(searched.Select(n => $" {Escape(n)} |")) + " epochs |");
        Line("|---:|---:|---|---:|" + (testName is null ? "" : "---:|") + string.Concat(searched.Select(_ => "---:|")) + "---:|");
        foreach (var entry in report.Analysis.Leaderboard)
        {
            var trial = byNumber[entry.TrialId];
            var cells = searched.Select(n => trial.Parameters.TryGetValue(n, out var v) ? (v.IsNumeric ? Format.Number(v.AsDouble()) : v.ToString()) : "–");
            Line($"| {entry.Rank} | {entry.TrialId} | {Escape(trial.Cell)} | {Format.Number(entry.Value)} |" +
                 (testName is null ? "" : $" {(trial.Metrics.TryGetValue(testName, out var t) ? Format.Number(t) : "–")} |") +
                 string.Concat(cells.Select(c => $" {Escape(c)} |")) + $" {trial.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "–"} |");
        }

        Line();
        md.Append(ArchitectureSection.Write(report, architecture));
        Line("## Spec");
        Line();
        Line("```yaml");
        Line(input.Sweep.SpecText.TrimEnd().Replace("```", "'''", StringComparison.Ordinal));
        Line("```");
        return md.ToString();
    }

    private static string P(WelchResult? test) => test is null ? "–" : (test.Significant ? $"**{Format.P(test.PValue)}**" : Format.P(test.PValue));

    private static string Signed(double value) => (value >= 0 ? "+" : "") + Format.Number(value);

    /// <summary>Keeps table cells and text from being read as Markdown syntax.</summary>
    public static string Escape(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("*", "\\*", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal)
        .Replace("`", "\\`", StringComparison.Ordinal)
        .ReplaceLineEndings(" ");
}
