using SweepState = RnnLab.Sweeps.Trials.SweepState;
using TrialState = RnnLab.Sweeps.Trials.TrialState;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Grains.Data;
using Microsoft.AspNetCore.RateLimiting;
using RnnLab.Server.Security;
using RnnLab.Reports;
using ReportFile = RnnLab.Contracts.V1.ReportFile;
using V1SweepReport = RnnLab.Contracts.V1.SweepReport;
using RnnLab.Server.Sweeping;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Server.Grpc;

/// <summary>The public sweep API: validates requests, steers sweeps through <see cref="ISweepControl"/> and reads from the stores.</summary>
public sealed partial class SweepApiService(
    ISweepControl control,
    SweepCatalog catalog,
    ISweepStore sweeps,
    ITrialStore trials,
    IMetricStore metrics,
    ISweepEventFeed events,
    SweepAnalyzer analyzer,
    ICheckpointStore checkpoints,
    DatasetFiles datasetFiles,
    AnalysisCache analyses,
    Microsoft.Extensions.Options.IOptions<ApiSecurityOptions> limits,
    IDatasetStore datasets,
    SweepReporter reporter,
    SweepChartSource chartSource) : SweepService.SweepServiceBase
{
    private const int ExportChunkBytes = 64 * 1024;

    public override async Task<SubmitSweepResponse> SubmitSweep(SubmitSweepRequest request, ServerCallContext context)
    {
        var text = request.SpecCase switch
        {
            SubmitSweepRequest.SpecOneofCase.SpecYaml => request.SpecYaml,
            SubmitSweepRequest.SpecOneofCase.SpecStruct => JsonFormatter.Default.Format(request.SpecStruct),
            _ => throw ApiErrors.InvalidArgument("spec", "send spec_yaml or spec_struct"),
        };
        if (request.IdempotencyKey.Length > 200)
        {
            throw ApiErrors.InvalidArgument("idempotency_key", "must be at most 200 characters");
        }

        var parsed = SpecValidation.Parse(text);
        if (!parsed.IsValid)
        {
            throw ApiErrors.InvalidSpec(parsed.Errors);
        }

        var footprint = TrialFootprint.Estimate(parsed.Spec!);
        if (footprint.Bytes > limits.Value.MaxTrialBytes)
        {
            throw ApiErrors.InvalidArgument("", $"one trial may need up to {footprint}; this server's limit (Api:MaxTrialBytes) is {TrialFootprint.Readable(limits.Value.MaxTrialBytes)}");
        }

        // Every file a trial reads is an uploaded dataset or lies under a configured data root.
        if (await datasetFiles.CheckAsync(parsed.Spec!.Task.Name, context.CancellationToken) is { } refused)
        {
            throw ApiErrors.InvalidArgument("task", refused);
        }

        if (request.ValidateOnly)
        {
            return new SubmitSweepResponse();
        }

        var key = request.IdempotencyKey.Length == 0 ? null : request.IdempotencyKey;
        var (sweep, created) = await control.SubmitAsync(parsed.Spec!, text, key, context.CancellationToken);
        return new SubmitSweepResponse { Sweep = await ViewAsync(sweep, context.CancellationToken), Created = created };
    }

    public override async Task<Sweep> GetSweep(GetSweepRequest request, ServerCallContext context) =>
        await ViewAsync(await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken), context.CancellationToken);

    public override async Task<ListSweepsResponse> ListSweeps(ListSweepsRequest request, ServerCallContext context)
    {
        var size = PageToken.Size(request.PageSize, "page_size");
        var offset = PageToken.Offset(request.PageToken, "page_token");
        var states = new List<SweepState>();
        for (var i = 0; i < request.States.Count; i++)
        {
            states.Add(request.States[i].FromProto() ?? throw ApiErrors.InvalidArgument($"states[{i}]", "is not a sweep state"));
        }

        var page = await sweeps.ListAsync(states, offset, size, context.CancellationToken);
        var response = new ListSweepsResponse { NextPageToken = PageToken.Next(offset, page.Items.Count, page.Total) };
        // One grouped count for the whole page, not a load of every sweep's trials.
        var tallies = await trials.TallyAsync(page.Items.Select(s => s.Id).ToList(), context.CancellationToken);
        foreach (var sweep in page.Items)
        {
            response.Sweeps.Add(await ViewAsync(sweep, tallies.GetValueOrDefault(sweep.Id, TrialTally.Empty), context.CancellationToken));
        }

        return response;
    }

    public override Task<Sweep> CancelSweep(SweepActionRequest request, ServerCallContext context) =>
        SteerAsync(request, context, control.CancelAsync);

    public override Task<Sweep> PauseSweep(SweepActionRequest request, ServerCallContext context) =>
        SteerAsync(request, context, control.PauseAsync);

    public override Task<Sweep> ResumeSweep(SweepActionRequest request, ServerCallContext context) =>
        SteerAsync(request, context, control.ResumeAsync);

    public override async Task<Sweep> ExtendSweep(ExtendSweepRequest request, ServerCallContext context)
    {
        var token = context.CancellationToken;
        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", token);
        var spec = catalog.SpecOf(sweep) ?? throw ApiErrors.FailedPrecondition($"the spec of sweep '{sweep.Id}' no longer parses");
        if ((request.Trials > 0) == (request.TrialsPerStratum > 0) || request.Trials < 0 || request.TrialsPerStratum < 0)
        {
            throw ApiErrors.InvalidArgument("trials", "give a positive number of trials or of trials_per_stratum, not both");
        }

        int additional;
        if (request.TrialsPerStratum > 0)
        {
            if (spec.Budget.TrialsPerStratum is not { } perStratum)
            {
                throw ApiErrors.InvalidArgument("trials_per_stratum", "the sweep's budget is not per stratum; give trials");
            }

            additional = request.TrialsPerStratum * (spec.Budget.Trials / perStratum);
        }
        else
        {
            additional = request.Trials;
        }

        var current = await trials.TallyAsync(sweep.Id, token);
        if ((long)current.Total + additional > SpecLimits.MaxTrials)
        {
            throw ApiErrors.InvalidArgument(request.Trials > 0 ? "trials" : "trials_per_stratum",
                $"the sweep would have more than {SpecLimits.MaxTrials} trials");
        }

        await control.ExtendAsync(sweep.Id, additional, token);
        return await ViewAsync(await RequireSweepAsync(request.SweepId, "sweep_id", token), token);
    }

    public override async Task<RetryTrialsResponse> RetryTrials(RetryTrialsRequest request, ServerCallContext context)
    {
        var token = context.CancellationToken;
        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", token);
        var states = new List<TrialState>();
        for (var i = 0; i < request.States.Count; i++)
        {
            var state = request.States[i].FromProto();
            if (state is null or TrialState.Pending or TrialState.Running or TrialState.Completed)
            {
                throw ApiErrors.InvalidArgument($"states[{i}]", "must be failed, diverged, cancelled or pruned");
            }

            states.Add(state.Value);
        }

        var retried = await control.RetryAsync(sweep.Id, states.Count == 0 ? [TrialState.Failed] : states, token);
        return new RetryTrialsResponse { Retried = retried, Sweep = await ViewAsync(await RequireSweepAsync(request.SweepId, "sweep_id", token), token) };
    }

    public override async Task<Trial> StopTrial(StopTrialRequest request, ServerCallContext context)
    {
        var trial = await RequireTrialAsync(request.TrialId, context.CancellationToken);
        try
        {
            await control.StopTrialAsync(trial.SweepId, trial.Number, request.Prune, context.CancellationToken);
        }
        catch (SweepTransitionException exception)
        {
            throw ApiErrors.FailedPrecondition(exception.Message);
        }

        return (await RequireTrialAsync(request.TrialId, context.CancellationToken)).ToProto();
    }

    [EnableRateLimiting(RateLimitOptions.WatchPolicy)]
    public override async Task WatchSweep(WatchSweepRequest request, IServerStreamWriter<WatchSweepResponse> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        if (request.AfterEvent < 0)
        {
            throw ApiErrors.InvalidArgument("after_event", "must not be negative");
        }

        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", token);
        if (!request.SkipSnapshot)
        {
            var snapshot = new SweepSnapshot { Sweep = await ViewAsync(sweep, token) };
            var started = new TrialFilter([.. Enum.GetValues<TrialState>().Where(s => s != TrialState.Pending)], []);
            var shown = await trials.PageAsync(sweep.Id, started, 0, int.MaxValue, token);
            snapshot.Trials.AddRange(shown.Items.Select(t => t.ToProto()));
            await responseStream.WriteAsync(new WatchSweepResponse { Snapshot = snapshot }, token);
        }

        await foreach (var item in events.ReadAsync(sweep.Id, request.AfterEvent, token))
        {
            await responseStream.WriteAsync(new WatchSweepResponse { Event = item }, token);
        }
    }

    public override async Task<ListTrialsResponse> ListTrials(ListTrialsRequest request, ServerCallContext context)
    {
        var size = PageToken.Size(request.PageSize, "page_size");
        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken);
        var filter = TrialQuery.From(request, catalog.SpecOf(sweep)).ToFilter();
        var after = TrialPageToken.Decode(request.PageToken, sweep.Id, filter, "page_token");
        // The count and the page are independent reads: run them side by side.
        var total = trials.CountAsync(sweep.Id, filter, context.CancellationToken);
        var page = await trials.SeekAsync(sweep.Id, filter, after, size, context.CancellationToken);
        var response = new ListTrialsResponse { Total = await total };
        response.Trials.AddRange(page.Items.Select(t => t.ToProto()));
        response.NextPageToken = page.Next is { } next ? TrialPageToken.Encode(next, sweep.Id, filter) : "";
        return response;
    }

    public override async Task<Trial> GetTrial(GetTrialRequest request, ServerCallContext context) =>
        (await RequireTrialAsync(request.TrialId, context.CancellationToken)).ToProto();

    public override async Task<GetTrialMetricsResponse> GetTrialMetrics(GetTrialMetricsRequest request, ServerCallContext context)
    {
        var trial = await RequireTrialAsync(request.TrialId, context.CancellationToken);
        var names = request.Names.ToHashSet(StringComparer.Ordinal);
        var points = await metrics.ReadAsync(trial.Id, context.CancellationToken);
        var response = new GetTrialMetricsResponse { TrialId = trial.Id.ToString() };
        response.Points.AddRange(points
            .Where(p => names.Count == 0 || names.Contains(p.Name))
            .Select(p => new Contracts.V1.MetricPoint { Epoch = p.Epoch, Name = p.Name, Value = p.Value }));
        return response;
    }

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task<SweepAnalysis> AnalyzeSweep(AnalyzeSweepRequest request, ServerCallContext context)
    {
        if (request.Top < 0)
        {
            throw ApiErrors.InvalidArgument("top", "must not be negative");
        }

        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken);
        var all = await catalog.TrialsAsync(sweep.Id, context.CancellationToken);
        var baseline = request.BaselineCell.Length == 0 ? "lstm" : request.BaselineCell;
        var top = request.Top == 0 ? 10 : request.Top;
        return analyses.GetOrAdd(sweep, all, $"analysis:{top}:{baseline}", () => analyzer.Analyze(sweep, catalog.SpecOf(sweep), all, top, baseline));
    }

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task<SweepCharts> GetSweepCharts(GetSweepChartsRequest request, ServerCallContext context)
    {
        var token = context.CancellationToken;
        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", token);
        var baseline = request.BaselineCell.Length == 0 ? SweepChartSource.DefaultBaseline : request.BaselineCell;
        return await chartSource.GetAsync(sweep, baseline, token);
    }

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task<V1SweepReport> GetSweepReport(GetSweepReportRequest request, ServerCallContext context)
    {
        var format = request.Format.ToLowerInvariant() switch
        {
            "" or "html" => ReportFormat.Html,
            "md" or "markdown" => ReportFormat.Markdown,
            _ => throw ApiErrors.InvalidArgument("format", $"'{request.Format}' is not a report format; use 'html' or 'markdown'"),
        };
        var name = request.Name.Length == 0 ? "report" : request.Name;
        if (!ReportNamePattern().IsMatch(name))
        {
            throw ApiErrors.InvalidArgument("name", "must be 1-64 letters, digits, '.', '_' or '-', not starting with '.'");
        }

        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken);
        var baseline = request.BaselineCell.Length == 0 ? "lstm" : request.BaselineCell;
        if (catalog.SpecOf(sweep) is null)
        {
            throw ApiErrors.FailedPrecondition("the sweep's spec no longer parses; it cannot be reported");
        }

        var files = await reporter.RenderAsync(sweep.Id, format, baseline, name, context.CancellationToken)
            ?? throw ApiErrors.NotFound("sweep", request.SweepId);
        var response = new V1SweepReport { SweepId = sweep.Id.ToString() };
        response.Files.AddRange(files.Select(f => new ReportFile { Path = f.Path, MediaType = f.MediaType, Content = ByteString.CopyFrom(f.Content) }));
        return response;
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ReportNamePattern();

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task ExportSweep(ExportSweepRequest request, IServerStreamWriter<ExportChunk> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        var table = request.Table.Length == 0 ? "trials" : request.Table;
        if (table is not ("trials" or "metrics"))
        {
            throw ApiErrors.InvalidArgument("table", $"'{table}' is not a table; use 'trials' or 'metrics'");
        }

        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", token);
        var all = await catalog.TrialsAsync(sweep.Id, token);
        var buffer = new StringBuilder();
        async Task FlushAsync(bool force)
        {
            if (buffer.Length > 0 && (force || buffer.Length >= ExportChunkBytes))
            {
                await responseStream.WriteAsync(new ExportChunk { Data = ByteString.CopyFromUtf8(buffer.ToString()) }, token);
                buffer.Clear();
            }
        }

        if (table == "trials")
        {
            foreach (var row in CsvExport.TrialRows(all))
            {
                buffer.Append(row);
                await FlushAsync(false);
            }
        }
        else
        {
            buffer.Append(CsvExport.MetricHeader());
            foreach (var trial in all)
            {
                foreach (var row in CsvExport.MetricRows(trial, await metrics.ReadAsync(trial.Id, token)))
                {
                    buffer.Append(row);
                    await FlushAsync(false);
                }
            }
        }

        await FlushAsync(true);
    }

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task<GenerateTextResponse> GenerateText(GenerateTextRequest request, ServerCallContext context)
    {
        // The request's limits are checked before anything is read, let alone a checkpoint loaded.
        TextGeneration.Validate(request);
        var trial = await RequireTrialAsync(request.TrialId, context.CancellationToken);
        var sweep = await catalog.GetAsync(trial.SweepId, context.CancellationToken) ?? throw ApiErrors.NotFound("sweep", trial.SweepId.ToString());
        var spec = catalog.SpecOf(sweep) ?? throw ApiErrors.FailedPrecondition($"the spec of sweep '{sweep.Id}' no longer parses: its task is unknown");
        var isText = DatasetNames.IsReference(spec.Task.Name)
            ? (await datasets.FindAsync(spec.Task.Name, context.CancellationToken))?.Format == "text"
            : TextGeneration.IsTextTask(spec.Task.Name);
        return await TextGeneration.GenerateAsync(checkpoints, trial, spec.Task, isText, request, context.CancellationToken);
    }

    [EnableRateLimiting(RateLimitOptions.ExpensivePolicy)]
    public override async Task<TranslateResponse> Translate(TranslateRequest request, ServerCallContext context)
    {
        // The request's limits are checked before anything is read, let alone a checkpoint loaded.
        TextTranslation.Validate(request);
        var trial = await RequireTrialAsync(request.TrialId, context.CancellationToken);
        var sweep = await catalog.GetAsync(trial.SweepId, context.CancellationToken) ?? throw ApiErrors.NotFound("sweep", trial.SweepId.ToString());
        var spec = catalog.SpecOf(sweep) ?? throw ApiErrors.FailedPrecondition($"the spec of sweep '{sweep.Id}' no longer parses: its task is unknown");
        return await TextTranslation.TranslateAsync(checkpoints, trial, spec.Task, request, context.CancellationToken);
    }

    private async Task<Sweep> SteerAsync(SweepActionRequest request, ServerCallContext context, Func<Guid, CancellationToken, Task> action)
    {
        var sweep = await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken);
        try
        {
            await action(sweep.Id, context.CancellationToken);
        }
        catch (SweepTransitionException exception)
        {
            throw ApiErrors.FailedPrecondition(exception.Message);
        }

        return await ViewAsync(await RequireSweepAsync(request.SweepId, "sweep_id", context.CancellationToken), context.CancellationToken);
    }

    private async Task<SweepRecord> RequireSweepAsync(string id, string field, CancellationToken cancellationToken) =>
        await catalog.GetAsync(ApiErrors.ParseId(id, field), cancellationToken) ?? throw ApiErrors.NotFound("sweep", id);

    private async Task<TrialRecord> RequireTrialAsync(string id, CancellationToken cancellationToken) =>
        await trials.GetAsync(ApiErrors.ParseId(id, "trial_id"), cancellationToken) ?? throw ApiErrors.NotFound("trial", id);

    private async Task<Sweep> ViewAsync(SweepRecord sweep, CancellationToken cancellationToken) =>
        await ViewAsync(sweep, await trials.TallyAsync(sweep.Id, cancellationToken), cancellationToken);

    private async Task<Sweep> ViewAsync(SweepRecord sweep, TrialTally tally, CancellationToken cancellationToken) =>
        SweepMapping.ToProto(sweep, catalog.SpecOf(sweep), tally, await sweeps.LastEventSequenceAsync(sweep.Id, cancellationToken));
}
