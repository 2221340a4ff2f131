using System.Security.Cryptography;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Reports;
using RnnLab.Storage;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Spec;
using RnnLab.Sweeps.Trials;

namespace RnnLab.Server.Tests;

/// <summary><c>GetSweepReport</c> and <c>rnnlab report</c>: the report a remote or embedded user gets shows AnalyzeSweep's numbers.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReportTests(ServerFixture fixture)
{
    private readonly SweepService.SweepServiceClient _client = fixture.Client;

    [Fact]
    public async Task The_report_over_the_api_prints_the_numbers_AnalyzeSweep_returns()
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("report", trials: 12) })).Sweep.Id;
        await WaitUntilFinishedAsync(id);

        var analysis = await _client.AnalyzeSweepAsync(new AnalyzeSweepRequest { SweepId = id });
        var report = await _client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = id, Format = "markdown", Name = "quadratic" });

        Assert.Equal(id, report.SweepId);
        Assert.Equal("quadratic.md", report.Files[0].Path);
        var markdown = report.Files[0].Content.ToStringUtf8();
        Assert.NotEmpty(analysis.MainEffects);
        foreach (var effect in analysis.MainEffects)
        {
            Assert.Equal(Format.Number(effect.Fraction), Row(markdown, effect.Parameters.Single(), "fraction of variance")[1]);
        }

        var tested = analysis.Cells.Where(c => c.HasPValue).ToList();
        Assert.NotEmpty(tested);
        foreach (var cell in tested)
        {
            var row = Row(markdown, cell.Cell, "Δ mean");
            Assert.Equal(cell.Trials.ToString(System.Globalization.CultureInfo.InvariantCulture), row[1]);
            Assert.Equal(Format.Number(cell.Mean), row[2]);
            Assert.Equal(Format.P(cell.PValue), row[7].Trim('*'));
        }

        Assert.True(report.Files.Count > 3);
        Assert.All(report.Files.Skip(1), f => Assert.Equal("image/png", f.MediaType));

        var html = await _client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = id });
        Assert.Equal("report.html", Assert.Single(html.Files).Path);
        Assert.Contains("<svg", html.Files[0].Content.ToStringUtf8());
    }

    [Fact]
    public async Task Bad_report_requests_name_their_field()
    {
        var id = (await _client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Specs.Quadratic("report-bad", trials: 3) })).Sweep.Id;

        var format = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = id, Format = "pdf" }).ResponseAsync);
        Assert.Equal("format", GrpcAssert.Violations(format).Single().Field);

        var name = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => _client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = id, Name = "../escape" }).ResponseAsync);
        Assert.Equal("name", GrpcAssert.Violations(name).Single().Field);

        await GrpcAssert.FailsAsync(StatusCode.NotFound,
            () => _client.GetSweepReportAsync(new GetSweepReportRequest { SweepId = Guid.NewGuid().ToString() }).ResponseAsync);
    }

    [Fact]
    public async Task Rnnlab_report_reads_an_embedded_runs_sqlite_file_without_changing_it()
    {
        var folder = Directory.CreateTempSubdirectory("rnnlab-report-").FullName;
        var databasePath = Path.Combine(folder, "run.db");
        var (sweepId, snapshots, spec) = await FinishedSweepAsync(databasePath);
        var before = SHA256.HashData(await File.ReadAllBytesAsync(databasePath));

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), "report", sweepId.ToString(), "--db", databasePath,
            "--format", "md", "-o", Path.Combine(folder, "out", "odyssey.md"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var markdown = await File.ReadAllTextAsync(Path.Combine(folder, "out", "odyssey.md"));
        Assert.True(File.Exists(Path.Combine(folder, "out", "odyssey-figures", "figure3-all.png")));
        var analysis = Sweeps.Analysis.SweepAnalysis.Analyze(spec, snapshots, "cell", "lstm");
        foreach (var effect in analysis.Fanova!.MainEffects)
        {
            Assert.Equal(Format.Number(effect.Fraction), Row(markdown, effect.Parameter, "fraction of variance")[1]);
        }

        Assert.Contains("| lstm | 6 | 6 |", markdown);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(databasePath)));

        var missing = await CliRunner.RunAsync(new Dictionary<string, string>(), "report", Guid.NewGuid().ToString(), "--db", databasePath, "--json");
        Assert.Equal(3, missing.ExitCode);
    }

    /// <summary>A finished two-cell sweep written straight into a SQLite file, as an embedded run leaves it.</summary>
    private static async Task<(Guid Id, List<TrialSnapshot> Snapshots, SweepSpec Spec)> FinishedSweepAsync(string path)
    {
        const string specText = """
            name: embedded
            task: jsb-chorales
            metric: { name: valid.nll, direction: minimize }
            search:
              sampler: { type: stratified, by: cell, seed: 2 }
              space:
                cell: { categorical: [lstm, lstm-nig] }
                lr: { loguniform: [1.0e-4, 1.0e-2] }
            budget: { trials_per_stratum: 6 }
            """;
        var spec = SweepSpec.ParseOrThrow(specText);
        var database = new RnnLabDatabase(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={path};Pooling=False" });
        await database.MigrateAsync();
        var stores = database.CreateStores();
        var (sweep, _) = await stores.Sweeps.CreateAsync(new NewSweep("embedded", specText));
        var sampler = Sweeps.Sampling.SamplerFactory.Create(spec);
        var snapshots = new List<TrialSnapshot>();
        var time = DateTime.UtcNow;
        for (var i = 0; i < 12; i++)
        {
            var parameters = sampler.Ask()!;
            var valid = 9 + Math.Abs(Math.Log10(parameters["lr"].AsDouble()) + 3) + i % 3 * 0.1;
            var trial = await stores.Trials.AddAsync(new NewTrial(sweep.Id, i, parameters.ToJson()));
            await stores.Trials.MarkRunningAsync(trial.Id, 1, "w", time.AddMinutes(5), null, time);
            var validText = valid.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var testText = (valid + 0.2).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var result = "{\"epochs\":3,\"metrics\":{\"valid.nll\":" + validText + ",\"test.nll\":" + testText + "}}";
            Assert.True(await stores.Trials.TryFinishAsync(trial.Id, new TrialOutcome(Sweeps.Trials.TrialState.Completed, result, valid, null, time.AddSeconds(30))));
            snapshots.Add(new TrialSnapshot(i, parameters, Sweeps.Trials.TrialState.Completed, valid));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (sweep.Id, snapshots, spec);
    }

    private async Task WaitUntilFinishedAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var call = _client.WatchSweep(new WatchSweepRequest { SweepId = id }, cancellationToken: timeout.Token);
        await foreach (var _ in call.ResponseStream.ReadAllAsync(timeout.Token))
        {
        }
    }

    private static string[] Row(string markdown, string key, string column)
    {
        var lines = markdown.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith('|') && l.Contains(column, StringComparison.Ordinal));
        Assert.True(header >= 0, $"no table with column '{column}'");
        var row = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .FirstOrDefault(cells => cells[0] == key.Replace("_", "\\_", StringComparison.Ordinal));
        Assert.True(row is not null, $"no row '{key}' in the table with '{column}'\n{markdown}");
        return row;
    }
}
