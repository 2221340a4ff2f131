using Grpc.Core;
using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Live;

/// <summary>
/// Follows one sweep for one page: a snapshot, then every event over WatchSweep; when the stream breaks (a server
/// restart) it says so and resumes after the last event it saw. Learning curves of trials already under way are
/// read once per trial (only the objective), later epochs arrive as events.
/// </summary>
public sealed class SweepWatcher : IAsyncDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    private readonly SweepApi _api;
    private readonly DashboardOptions _options;
    private readonly string _sweepId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<int, TrialSummary> _trials = [];
    private readonly Dictionary<int, SortedDictionary<int, double>> _curves = [];
    private readonly HashSet<int> _historyRequested = [];
    private readonly SemaphoreSlim _historyCalls = new(8);
    private Sweep _sweep;
    private ConnectionState _connection = ConnectionState.Up;
    private long _lastEvent;
    private long _version = 1;
    private Task? _loop;
    private int _refreshingRunning;
    private int _refreshWanted;

    public SweepWatcher(SweepApi api, DashboardOptions options, Sweep sweep, ILogger logger)
    {
        _api = api;
        _options = options;
        _sweep = sweep;
        _sweepId = sweep.Id;
        _lastEvent = sweep.LastEvent;
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
            var trials = _trials.Values.OrderBy(t => t.Number).ToArray();
            var curves = _curves.ToDictionary(
                pair => pair.Key,
                pair => (IReadOnlyList<CurvePoint>)pair.Value.Select(p => new CurvePoint(p.Key, p.Value)).ToArray());
            return new SweepView(Version, _sweep.Clone(), TrialCounting.Count(_sweep.Trials?.Total ?? 0, trials), trials, curves, _connection, _lastEvent);
        }
    }

    private async Task RunAsync(CancellationToken token)
    {
        var attempt = 0;
        var resuming = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (resuming)
                {
                    Apply(await _api.Client.GetSweepAsync(new GetSweepRequest { SweepId = _sweepId }, _api.Call(token)));
                    ForgetHistoryOfRunningTrials();
                }

                long after;
                lock (_gate)
                {
                    after = _lastEvent;
                }

                using var call = _api.Client.WatchSweep(new WatchSweepRequest { SweepId = _sweepId, AfterEvent = after }, _api.Call(token));
                await foreach (var item in call.ResponseStream.ReadAllAsync(token))
                {
                    if (attempt > 0 || !_connection.Connected)
                    {
                        attempt = 0;
                        SetConnection(ConnectionState.Up);
                    }

                    if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Snapshot)
                    {
                        ApplySnapshot(item.Snapshot);
                        _ = LoadHistoryAsync(token);
                    }
                    else if (item.ItemCase == WatchSweepResponse.ItemOneofCase.Event)
                    {
                        ApplyEvent(item.Event);
                    }
                }

                // The server ends the stream when the sweep has finished; a stream that ends earlier was cut.
                Apply(await _api.Client.GetSweepAsync(new GetSweepRequest { SweepId = _sweepId }, _api.Call(token)));
                if (_sweep.State is not (SweepState.Running or SweepState.Paused))
                {
                    // An epoch reported before this page connected can have been read as history while its point was
                    // still buffered in its trial; once the sweep is final every point is stored, so the curves are
                    // read once more and the gaps fill.
                    lock (_gate)
                    {
                        _historyRequested.Clear();
                    }

                    await LoadHistoryAsync(token);
                    SetConnection(ConnectionState.Up);
                    return;
                }

                throw new RpcException(new Status(StatusCode.Unavailable, "the progress stream ended before the sweep finished"));
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled && token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is RpcException or HttpRequestException or IOException)
            {
                attempt++;
                resuming = true;
                var problem = exception is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : exception.Message;
                _logger.LogInformation("Lost the progress stream of sweep {Sweep} ({Problem}); reconnect attempt {Attempt}", _sweepId, problem, attempt);
                SetConnection(new ConnectionState(false, attempt, problem));
                try
                {
                    await Task.Delay(Backoff[Math.Min(attempt - 1, Backoff.Length - 1)], token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Epochs of trials that ran through an outage are read again once the stream is back.</summary>
    private void ForgetHistoryOfRunningTrials()
    {
        lock (_gate)
        {
            foreach (var trial in _trials.Values.Where(t => t.State == TrialState.Running))
            {
                _historyRequested.Remove(trial.Number);
            }
        }
    }

    private void ApplySnapshot(SweepSnapshot snapshot)
    {
        lock (_gate)
        {
            _sweep = snapshot.Sweep;
            foreach (var trial in snapshot.Trials)
            {
                _trials[trial.Number] = TrialSummary.From(trial);
            }
        }

        Touch();
    }

    private void Apply(Sweep sweep)
    {
        lock (_gate)
        {
            _sweep = sweep;
        }

        Touch();
    }

    private void ApplyEvent(SweepEvent item)
    {
        var unknownTrial = false;
        lock (_gate)
        {
            _lastEvent = Math.Max(_lastEvent, item.Sequence);
            switch (item.Kind)
            {
                case "trial-started":
                    var started = Known(item.TrialNumber, ref unknownTrial);
                    if (!started.IsFinished)
                    {
                        _trials[item.TrialNumber] = started with { State = TrialState.Running };
                    }

                    break;
                case "trial-requeued":
                    if (_trials.TryGetValue(item.TrialNumber, out var requeued) && !requeued.IsFinished)
                    {
                        _trials[item.TrialNumber] = requeued with { State = TrialState.Pending };
                    }

                    break;
                case "epoch":
                    var running = Known(item.TrialNumber, ref unknownTrial);
                    if (running.State == TrialState.Pending)
                    {
                        _trials[item.TrialNumber] = running with { State = TrialState.Running };
                    }

                    if (item.HasValue)
                    {
                        CurveOf(item.TrialNumber)[item.Epoch] = item.Value;
                    }

                    break;
                case "trial-finished":
                    var finished = Known(item.TrialNumber, ref unknownTrial);
                    _trials[item.TrialNumber] = finished with
                    {
                        State = item.TrialState == TrialState.Unspecified ? TrialState.Completed : item.TrialState,
                        Objective = item.HasValue ? item.Value : finished.Objective,
                    };
                    break;
                default:
                    if (item.SweepState != SweepState.Unspecified)
                    {
                        _sweep.State = item.SweepState;
                    }

                    break;
            }
        }

        if (unknownTrial)
        {
            _ = RefreshTrialsAsync(_stop.Token);
        }

        Touch();
    }

    /// <summary>The trial with this number; one the page has not read yet is counted at once and read soon after.</summary>
    private TrialSummary Known(int number, ref bool unknown)
    {
        if (_trials.TryGetValue(number, out var trial) && trial.Id.Length > 0)
        {
            return trial;
        }

        unknown = true;
        trial ??= new TrialSummary("", number, "", TrialState.Pending, null, new Dictionary<string, object>());
        _trials[number] = trial;
        return trial;
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
                var found = new List<TrialSummary>();
                var request = new ListTrialsRequest { SweepId = _sweepId, PageSize = 1000 };
                request.States.Add([TrialState.Running, TrialState.Completed, TrialState.Pruned, TrialState.Diverged, TrialState.Failed, TrialState.Cancelled]);
                do
                {
                    var page = await _api.Client.ListTrialsAsync(request, _api.Call(token));
                    found.AddRange(page.Trials.Select(TrialSummary.From));
                    request.PageToken = page.NextPageToken;
                }
                while (request.PageToken.Length > 0);

                lock (_gate)
                {
                    foreach (var trial in found)
                    {
                        // An event newer than the read may already have finished the trial here.
                        if (!_trials.TryGetValue(trial.Number, out var known) || !known.IsFinished || trial.IsFinished)
                        {
                            _trials[trial.Number] = trial;
                        }
                    }
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
        int[] wanted;
        string objective;
        lock (_gate)
        {
            objective = _sweep.Objective;
            var candidates = _trials.Values.Where(t => t.State != TrialState.Pending && t.Id.Length > 0)
                .Select(t => new CurveCandidate(t.Number, t.Cell, t.State, t.Objective));
            wanted = CurveSelection.Choose(candidates, _sweep.Maximize, _options.MaxCurves, perCell: 10)
                .Where(_historyRequested.Add)
                .ToArray();
        }

        var tasks = wanted.Select(async number =>
        {
            string id;
            lock (_gate)
            {
                id = _trials[number].Id;
            }

            await _historyCalls.WaitAsync(token);
            try
            {
                var request = new GetTrialMetricsRequest { TrialId = id };
                if (objective.Length > 0)
                {
                    request.Names.Add(objective);
                }

                var response = await _api.Client.GetTrialMetricsAsync(request, _api.Call(token));
                lock (_gate)
                {
                    var curve = CurveOf(number);
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
                    _historyRequested.Remove(number);
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
