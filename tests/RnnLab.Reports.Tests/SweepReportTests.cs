using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using RnnLab.Sweeps.Analysis;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Reports.Tests;

/// <summary>The report's numbers are the shared analysis's numbers, in its data and in what it writes.</summary>
public sealed partial class SweepReportTests
{
    private static readonly MetricSpec TestNll = new("test.nll", MetricDirection.Minimize);

    [Fact]
    public void The_report_holds_the_numbers_of_the_shared_analysis()
    {
        var input = SyntheticSweep.Input();
        var report = SweepReportBuilder.Build(input);

        var analysis = SweepAnalysis.Analyze(input.Spec, SyntheticSweep.Snapshots(input), "cell", "lstm", 20);
        Assert.Equal(analysis.Fanova!.MainEffects, report.Analysis.Fanova!.MainEffects);
        Assert.Equal(analysis.Fanova.Pairs, report.Analysis.Fanova.Pairs);
        Assert.Equal(analysis.Leaderboard.Select(e => (e.TrialId, e.Value)), report.Analysis.Leaderboard.Select(e => (e.TrialId, e.Value)));

        var test = SyntheticSweep.Snapshots(input, "test.nll");
        Assert.Equal(TestNll, report.Figure3.Metric);
        Assert.Equal(CellComparison.AgainstReference(test, TestNll), report.Figure3.AllTrials);
        Assert.Equal(CellComparison.AgainstReference(test, TestNll, bestFraction: 0.1), report.Figure3.BestTrials);
        Assert.Equal(StratumStatistics.Compute(test, TestNll), report.Figure3.Strata);
    }

    [Fact]
    public void The_markdown_tables_print_the_analysis_numbers()
    {
        var input = SyntheticSweep.Input();
        var report = SweepReportBuilder.Build(input);
        var markdown = Markdown(report);

        foreach (var main in report.Analysis.Fanova!.MainEffects)
        {
            var row = Row(markdown, main.Parameter.Replace("_", "\\_", StringComparison.Ordinal), "fraction of variance");
            Assert.Equal(Format.Number(main.Fraction), row[1]);
            Assert.Equal(Format.Number(main.StandardDeviation), row[2]);
        }

        var test = SyntheticSweep.Snapshots(input, "test.nll");
        var statistics = StratumStatistics.Compute(test, TestNll).ToDictionary(s => s.Stratum.ToString());
        foreach (var comparison in CellComparison.AgainstReference(test, TestNll))
        {
            var row = Row(markdown, comparison.Stratum.ToString(), "Δ mean");
            Assert.Equal(statistics[comparison.Stratum.ToString()].All.Count.ToString(CultureInfo.InvariantCulture), row[1]);
            Assert.Equal(Format.Number(statistics[comparison.Stratum.ToString()].All.Mean), row[2]);
            Assert.Equal(Format.P(comparison.Test!.PValue), row[7].Trim('*'));
        }

        var diverged = input.Trials.Count(t => t.State == TrialState.Diverged);
        Assert.Contains($"{input.Trials.Count} trials: {input.Trials.Count - diverged} completed, {diverged} diverged", markdown);
        Assert.Equal("1", Row(markdown, "lstm-nfg", "unfinished")[4]);
    }

    [Fact]
    public void Findings_state_the_papers_claims_next_to_the_sweeps_tests()
    {
        var report = SweepReportBuilder.Build(SyntheticSweep.Input());
        var tests = report.Figure3.AllTrials.ToDictionary(c => c.Stratum.ToString());

        // lstm-nfg is built 3 nats worse: the paper's claim holds.
        var nfg = report.Findings.Single(f => f.Claim.StartsWith("lstm-nfg", StringComparison.Ordinal));
        Assert.True(tests["lstm-nfg"].SignificantlyWorse(TestNll));
        Assert.Equal(Verdict.Agrees, nfg.Verdict);
        Assert.Contains(Format.P(tests["lstm-nfg"].Test!.PValue), nfg.ThisSweep);
        foreach (var cell in new[] { "lstm-nig", "lstm-cifg" })
        {
            var finding = report.Findings.Single(f => f.Claim.StartsWith(cell + " ", StringComparison.Ordinal));
            Assert.Equal(tests[cell].Test!.Significant ? Verdict.Disagrees : Verdict.Agrees, finding.Verdict);
        }

        // The metric is built from lr: the learning rate must be the most important hyperparameter.
        Assert.Equal(Verdict.Agrees, report.Findings.Single(f => f.Claim == "the most important hyperparameter").Verdict);
        Assert.DoesNotContain(report.Findings, f => f.Claim.StartsWith("lstm-noaf", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sweep_without_lstm_variants_is_not_checked_against_the_odysseys_claims()
    {
        var input = SyntheticSweep.Input();
        var gru = input with
        {
            Trials = input.Trials.Select(t => t.Cell == "lstm" ? t : t with { Parameters = t.Parameters.With("cell", "gru") }).ToList(),
        };

        Assert.Empty(SweepReportBuilder.Build(gru).Findings);
    }

    [Fact]
    public void Zero_variance_samples_get_the_shared_welch_result()
    {
        // Constant samples: equal constants are no difference (p = 1); different constants are a certain one (p = 0).
        var input = SyntheticSweep.Input(divergedNfg: 0);
        var constant = input with
        {
            Trials = input.Trials.Select(t => t with
            {
                Metrics = new Dictionary<string, double> { ["test.nll"] = t.Cell == "lstm-nfg" ? 12.0 : 10.0 },
            }).ToList(),
        };

        var report = SweepReportBuilder.Build(constant);
        var markdown = Markdown(report);

        Assert.Equal(1.0, report.Figure3.AllTrials.Single(c => c.Stratum.ToString() == "lstm-nig").Test!.PValue);
        Assert.Equal(0.0, report.Figure3.AllTrials.Single(c => c.Stratum.ToString() == "lstm-nfg").Test!.PValue);
        Assert.Equal(Format.P(1.0), Row(markdown, "lstm-nig", "Δ mean")[7]);
        Assert.Equal($"**{Format.P(0.0)}**", Row(markdown, "lstm-nfg", "Δ mean")[7]);
        Assert.Equal(Verdict.Agrees, report.Findings.Single(f => f.Claim.StartsWith("lstm-nfg", StringComparison.Ordinal)).Verdict);
    }

    [Fact]
    public void Markdown_comes_with_png_figures_it_links_to()
    {
        var files = ReportRenderer.Render(SweepReportBuilder.Build(SyntheticSweep.Input()), ReportFormat.Markdown, "odyssey");

        Assert.Equal("odyssey.md", files[0].Path);
        var markdown = Encoding.UTF8.GetString(files[0].Content);
        var links = ImageLink().Matches(markdown).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(files.Skip(1).Select(f => f.Path), links);
        Assert.Contains("odyssey-figures/figure3-all.png", links);
        Assert.Contains("odyssey-figures/figure4-importance.png", links);
        Assert.Contains("odyssey-figures/figure5-marginal-momentum.png", links);
        Assert.All(files.Skip(1), f => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], f.Content.Take(4)));
    }

    [Fact]
    public void Html_is_one_self_contained_file_with_inline_svg_figures()
    {
        var report = SweepReportBuilder.Build(SyntheticSweep.Input());
        var files = ReportRenderer.Render(report, ReportFormat.Html);

        var html = Encoding.UTF8.GetString(Assert.Single(files).Content);
        Assert.Equal(ReportFigures.For(report).Count, Regex.Matches(html, "<svg").Count);
        Assert.DoesNotContain("FIGURE-", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.Contains("<table>", html);
        Assert.Contains(Format.Number(report.Analysis.Fanova!.MainEffects[0].Fraction), html);
    }

    [Fact]
    public void A_sweep_with_no_finished_trial_still_reports_what_ran()
    {
        var input = SyntheticSweep.Input();
        var pending = input with { Trials = input.Trials.Select(t => t with { State = TrialState.Pending, Objective = null, Metrics = new Dictionary<string, double>(), FinishedAt = null }).ToList() };

        var report = SweepReportBuilder.Build(pending);
        var markdown = Markdown(report);

        Assert.Empty(report.Findings);
        Assert.Null(report.Analysis.Fanova);
        Assert.Contains($"{input.Trials.Count} trials: 0 completed", markdown);
        Assert.Contains("No fANOVA", markdown);
        Assert.Single(ReportRenderer.Render(report, ReportFormat.Html));
    }

    private static string Markdown(SweepReport report) =>
        Encoding.UTF8.GetString(ReportRenderer.Render(report, ReportFormat.Markdown)[0].Content);

    /// <summary>The cells of the first table row starting with <paramref name="key"/> in the table whose header contains <paramref name="column"/>.</summary>
    private static string[] Row(string markdown, string key, string column)
    {
        var lines = markdown.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith('|') && l.Contains(column, StringComparison.Ordinal));
        Assert.True(header >= 0, $"no table with column '{column}'");
        var row = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .FirstOrDefault(cells => cells[0] == key);
        Assert.True(row is not null, $"no row '{key}' in the table with '{column}'");
        return row;
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)]+)\)")]
    private static partial Regex ImageLink();
}
