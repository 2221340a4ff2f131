using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Contracts.Watching;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Live;

/// <summary>
/// Follows one sweep for one page through the shared <see cref="SweepWatchClient"/>, and adds what a page draws: the
/// connection banner, trials read in full when events name them first, and learning curves. Curves of trials already
/// under way are read once per trial (only the objective); later epochs arrive as events.
/// </summary>
public sealed class SweepWatcher : IAsyncDisposable
{
    private readonly SweepApi _api;
    private readonly DashboardOptions _options;
    private readonly string _sweepId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SortedDictionary<int, double>> _curves = [];
    private readonly Dictionary<int, (Trial? Record, TrialSummary Summary)> _summaries = [];
    private readonly HashSet<int> _historyRequested = [];
    private readonly SemaphoreSlim _historyCalls = new(8);
    private LiveSweep _view;
    private ConnectionState _connection = ConnectionState.Up;
    private long _version = 1;
    private Task? _loop;
    private int _refreshingRunning;
    private int _refreshWanted;

    public SweepWatcher(SweepApi api, DashboardOptions options, Sweep sweep, ILogger logger)
    {
        _api = api;
        _options = options;
        _view = LiveSweep.Start(sweep);
        _sweepId = sweep.Id;
        _logger = logger;
    }

    /// <summary>Raised (on a background thread) after every change.</summary>
    public event Action? Changed;

    public long Version => Interlocked.Read(ref _version);

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    public SweepView View()
    {
        lock (_gate)
        {
            var trials = _view.Trials.Values.Select(Summary).ToArray();
            var curves = _curves.ToDictionary(
                pair => pair.Key,
                pair => (IReadOnlyList<CurvePoint>)pair.Value.Select(p => new CurvePoint(p.Key, p.Value)).ToArray());
            return new SweepView(Version, _view.Sweep, _view.Counts, trials, curves, _connection, _view.LastEvent);
        }
    }

    /// <summary>The page's summary of a trial; the hyperparameters are read out of a trial's record once.</summary>
    private TrialSummary Summary(LiveTrial trial)
    {
        if (!_summaries.TryGetValue(trial.Number, out var known) || !ReferenceEquals(known.Record, trial.Record))
        {
            var summary = trial.Record is { } record
                ? TrialSummary.From(record)
                : new TrialSummary("", trial.Number, "", trial.State, trial.Objective, new Dictionary<string, object>());
            known = (trial.Record, summary);
            _summaries[trial.Number] = known;
        }

        return known.Summary.State == trial.State && known.Summary.Objective == trial.Objective
            ? known.Summary
            : known.Summary with { State = trial.State, Objective = trial.Objective };
    }

    private async Task RunAsync(CancellationToken token)
    {
        long after;
        lock (_gate)
        {
            after = _view.LastEvent;
        }

        var watch = new SweepWatchClient(_api.Client, new SweepWatchOptions { CallOptions = _api.Call });
        try
        {
            await watch.FollowAsync(_sweepId, after, update => Apply(update, token), token);

            // An epoch reported before this page connected can have been read as history while its point was still
            // buffered in its trial; once the sweep is final every point is stored, so the curves are read once more
            // and the gaps fill.
            lock (_gate)
            {
                _historyRequested.Clear();
            }

            await LoadHistoryAsync(token);
            SetConnection(ConnectionState.Up);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
        {
        }
        catch (RpcException exception)
        {
            // Not a failure a reconnect cures (the sweep is gone, the key was refused): the banner says why.
            _logger.LogWarning("Stopped following sweep {Sweep}: {Status}", _sweepId, exception.Status);
            SetConnection(new ConnectionState(false, 0, $"{exception.StatusCode}: {exception.Status.Detail}", Retrying: false));
        }
    }

    private void Apply(WatchUpdate update, CancellationToken token)
    {
        var unknownTrial = false;
        lock (_gate)
        {
            _view = SweepReducer.Reduce(_view, update);
            switch (update)
            {
                case WatchUpdate.EventRead { Event: var item }:
                    if (item is { Kind: SweepEventKinds.Epoch, HasValue: true })
                    {
                        CurveOf(item.TrialNumber)[item.Epoch] = item.Value;
                    }

                    unknownTrial = item.Kind is SweepEventKinds.TrialStarted or SweepEventKinds.Epoch or SweepEventKinds.TrialFinished
                        && _view.Trials.TryGetValue(item.TrialNumber, out var trial) && trial.Record is null;
                    break;
                case WatchUpdate.ConnectionLost lost:
                    _logger.LogInformation("Lost the progress stream of sweep {Sweep} ({Problem}); reconnect attempt {Attempt}", _sweepId, lost.Problem, lost.Attempt);
                    _connection = new ConnectionState(false, lost.Attempt, lost.Problem);
                    break;
                case WatchUpdate.ConnectionRestored:
                    _connection = ConnectionState.Up;

                    // Epochs of trials that ran through an outage are read again now that the server answers.
                    foreach (var running in _view.Trials.Values.Where(t => t.State == TrialState.Running))
                    {
                        _historyRequested.Remove(running.Number);
                    }

                    break;
            }
        }

        if (update is WatchUpdate.SnapshotRead or WatchUpdate.ConnectionRestored)
        {
            _ = LoadHistoryAsync(token);
        }

        if (unknownTrial)
        {
            _ = RefreshTrialsAsync(token);
        }

        Touch();
    }

    private SortedDictionary<int, double> CurveOf(int number)
    {
        if (!_curves.TryGetValue(number, out var curve))
        {
            curve = [];
            _curves[number] = curve;
        }

        return curve;
    }

    /// <summary>
    /// Trials the snapshot did not hold (they started since) are read again with every non-pending trial; a burst of
    /// starts coalesces into one read, and reads of a large sweep are spaced by twice their own duration.
    /// </summary>
    private async Task RefreshTrialsAsync(CancellationToken token)
    {
        Interlocked.Exchange(ref _refreshWanted, 1);
        if (Interlocked.Exchange(ref _refreshingRunning, 1) == 1)
        {
            return;
        }

        try
        {
            while (Interlocked.Exchange(ref _refreshWanted, 0) == 1)
            {
                await Task.Delay(200, token);
                var started = DateTime.UtcNow;
                var found = new List<Trial>();
                var request = new ListTrialsRequest { SweepId = _sweepId, PageSize = 1000 };
                request.States.Add([TrialState.Running, TrialState.Completed, TrialState.Pruned, TrialState.Diverged, TrialState.Failed, TrialState.Cancelled]);
                do
                {
                    var page = await _api.Client.ListTrialsAsync(request, _api.Call(token));
                    found.AddRange(page.Trials);
                    request.PageToken = page.NextPageToken;
                }
                while (request.PageToken.Length > 0);

                lock (_gate)
                {
                    _view = SweepReducer.Reduce(_view, new WatchUpdate.TrialsRead(found));
                }

                Touch();
                await Task.Delay(2 * (DateTime.UtcNow - started), token);
            }
        }
        catch (Exception exception) when (exception is RpcException or OperationCanceledException or HttpRequestException)
        {
        }
        finally
        {
            Interlocked.Exchange(ref _refreshingRunning, 0);
        }
    }

    /// <summary>Reads the objective's history of the trials whose curves are drawn; events bring everything later.</summary>
    private async Task LoadHistoryAsync(CancellationToken token)
    {
        (int Number, string Id)[] wanted;
        string objective;
        lock (_gate)
        {
            objective = _view.Sweep.Objective;
            var started = _view.Trials.Values.Where(t => t.State != TrialState.Pending && t.Id.Length > 0).ToDictionary(t => t.Number, t => t.Id);
            var candidates = _view.Trials.Values.Where(t => started.ContainsKey(t.Number))
                .Select(t => new CurveCandidate(t.Number, t.Cell, t.State, t.Objective));
            wanted = CurveSelection.Choose(candidates, _view.Sweep.Maximize, _options.MaxCurves, perCell: 10)
                .Where(_historyRequested.Add)
                .Select(number => (number, started[number]))
                .ToArray();
        }

        var tasks = wanted.Select(async trial =>
        {
            await _historyCalls.WaitAsync(token);
            try
            {
                var request = new GetTrialMetricsRequest { TrialId = trial.Id };
                if (objective.Length > 0)
                {
                    request.Names.Add(objective);
                }

                var response = await _api.Client.GetTrialMetricsAsync(request, _api.Call(token));
                lock (_gate)
                {
                    var curve = CurveOf(trial.Number);
                    foreach (var point in response.Points)
                    {
                        curve.TryAdd(point.Epoch, point.Value);
                    }
                }

                Touch();
            }
            catch (RpcException exception) when (exception.StatusCode != StatusCode.Cancelled)
            {
                lock (_gate)
                {
                    _historyRequested.Remove(trial.Number);
                }
            }
            finally
            {
                _historyCalls.Release();
            }
        });
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SetConnection(ConnectionState state)
    {
        lock (_gate)
        {
            _connection = state;
        }

        Touch();
    }

    private void Touch()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
        _historyCalls.Dispose();
    }
}
