using System.Diagnostics;
using RnnLab.Models;
using RnnLab.Tasks;
using RnnLab.Tasks.Text;
using RnnLab.Tasks.Translation;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>One trial in progress: the model, its optimizer, the epoch loop, early stopping and checkpoints.</summary>
internal sealed partial class TrainingSession : IDisposable
{
    private readonly TrialConfig _config;
    private readonly ITask _task;
    private readonly NetworkShape _shape;
    private readonly nn.Module _model;
    private readonly TorchSharp.Modules.OptimizerHelper _optimizer;
    private readonly MetricDefinition _primary;
    private readonly EarlyStopping _stopping;
    private readonly Dictionary<string, Tensor> _best = new(StringComparer.Ordinal);
    private Dictionary<string, double> _bestMetrics = new(StringComparer.Ordinal);
    private int _epoch;
    private double _learningRate;
    private double _lastTrainLoss = double.NaN;

    public TrainingSession(TrialConfig config, ITask task, TrialCheckpoint? resume)
    {
        _config = config;
        _task = task;
        _shape = NetworkShape.Of(task);
        _model = _shape.BuildModule(config);
        _optimizer = config.Optimizer == "sgd"
            ? new RootedSgd(_model.parameters(), config.Lr, config.Momentum)
            : new RootedAdam(_model.parameters(), config.Lr);
        _primary = task.Metrics[0];
        _stopping = new EarlyStopping(_primary.LowerIsBetter, config.Patience, config.LrPatience);
        _learningRate = config.Lr;
        if (resume is not null)
        {
            Restore(resume);
        }
    }

    public TrialResult Run(TrialRunOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastCheckpoint = Snapshot();
        var savedEpoch = -1;
        var pruned = false;
        while (_epoch < _config.Epochs && !_stopping.Stopped)
        {
            var epochClock = Stopwatch.StartNew();
            var train = TrainEpoch(_epoch, cancellationToken);
            if (train.Cancelled)
            {
                options.CheckpointSink?.Invoke(lastCheckpoint);
                return Result(RunOutcome.Cancelled, clock, withTest: false, $"cancelled during epoch {_epoch + 1}; resumable from epoch {_epoch}");
            }

            if (train.Divergence is not null)
            {
                return Result(RunOutcome.Diverged, clock, withTest: false, train.Divergence);
            }

            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            var valid = Evaluate(DataSplit.Valid);
            var value = valid[_primary.Name];
            if (!double.IsFinite(value))
            {
                return Result(RunOutcome.Diverged, clock, withTest: false, $"validation {_primary.Name} became {value} in epoch {_epoch + 1}");
            }

            _epoch++;
            _lastTrainLoss = train.Totals.Mean;
            if (_stopping.Observe(_epoch, value))
            {
                SaveBest();
                _bestMetrics = valid.ToDictionary(p => $"valid.{p.Key}", p => p.Value, StringComparer.Ordinal);
            }

            if (_stopping.ObservePlateau(value))
            {
                SetLearningRate(_learningRate * _config.LrDecay);
            }

            lastCheckpoint = Snapshot();
            var report = Report(train, valid, epochClock.Elapsed.TotalSeconds, trainSeconds);
            if (options.OnEpoch?.Invoke(report) == EpochDecision.Stop)
            {
                pruned = true;
                break;
            }

            // After the callback, so a scheduler has accepted the epoch before it is saved as a resume point.
            if (options.CheckpointSink is not null && options.CheckpointEvery > 0 && _epoch % options.CheckpointEvery == 0)
            {
                options.CheckpointSink(lastCheckpoint);
                savedEpoch = _epoch;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                options.CheckpointSink?.Invoke(lastCheckpoint);
                return Result(RunOutcome.Cancelled, clock, withTest: false, $"cancelled after epoch {_epoch}");
            }
        }

        if (options.CheckpointSink is not null && savedEpoch != _epoch)
        {
            options.CheckpointSink(lastCheckpoint);
        }

        return Result(pruned ? RunOutcome.Pruned : RunOutcome.Completed, clock, withTest: true, null);
    }

    private EpochReport Report(EpochOutcome train, IReadOnlyDictionary<string, double> valid, double seconds, double trainSeconds)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["train.loss"] = train.Totals.Mean };
        foreach (var (name, value) in _task.Summarize(train.Totals))
        {
            metrics[$"train.{name}"] = value;
        }

        foreach (var (name, value) in valid)
        {
            metrics[$"valid.{name}"] = value;
        }

        return new EpochReport(_epoch, train.Totals.Mean, metrics, seconds, train.Totals.Count / Math.Max(trainSeconds, 1e-9), _learningRate, _stopping.BestEpoch);
    }

    private TrialResult Result(RunOutcome state, Stopwatch clock, bool withTest, string? message)
    {
        var metrics = new Dictionary<string, double>(_bestMetrics, StringComparer.Ordinal);
        if (withTest && _best.Count > 0)
        {
            _model.load_state_dict(_best);
            foreach (var (name, value) in Evaluate(DataSplit.Test))
            {
                metrics[$"test.{name}"] = value;
            }
        }

        if (double.IsFinite(_lastTrainLoss))
        {
            metrics["train.loss"] = _lastTrainLoss;
        }

        return new TrialResult(state, metrics, _stopping.BestEpoch, _epoch, clock.Elapsed.TotalSeconds, message);
    }

    private void SaveBest()
    {
        foreach (var tensor in _best.Values)
        {
            tensor.Dispose();
        }

        _best.Clear();
        // state_dict() hands out new tensor handles; the scope releases them once the copies are made.
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in _model.state_dict())
        {
            _best[name] = tensor.detach().clone().DetachFromDisposeScope();
        }
    }

    private void SetLearningRate(double value)
    {
        _learningRate = value;
        foreach (var group in _optimizer.ParamGroups)
        {
            group.LearningRate = value;
        }
    }

    private TrialCheckpoint Snapshot()
    {
        using var scope = torch.NewDisposeScope();
        return TrialCheckpoint.Write(
            new CheckpointMetadata
            {
                Parameters = _config.ToParameters().ToDictionary(),
                Shape = _shape,
                Epoch = _epoch,
                LearningRate = _learningRate,
                BestValue = _stopping.BestValue,
                BestEpoch = _stopping.BestEpoch,
                BadEpochs = _stopping.BadEpochs,
                PlateauBest = _stopping.PlateauBest,
                PlateauBadEpochs = _stopping.PlateauBadEpochs,
                Stopped = _stopping.Stopped,
                LastTrainLoss = _lastTrainLoss,
                BestMetrics = _bestMetrics,
                Vocabulary = _task switch
                {
                    CharLanguageTask text => text.Vocabulary.Symbols.ToArray(),
                    TranslationTask translation => translation.SourceVocabulary.Symbols.ToArray(),
                    _ => null,
                },
                Translation = _task is TranslationTask t ? TranslationVocabularies.Of(t) : null,
            },
            _model,
            _optimizer,
            _best);
    }

    private void Restore(TrialCheckpoint checkpoint)
    {
        var metadata = checkpoint.Restore(_model, _optimizer, _best);
        if (metadata.Shape != _shape)
        {
            throw new ArgumentException($"the checkpoint's network shape {metadata.Shape} does not fit task '{_task.Name}' ({_shape})");
        }

        _epoch = metadata.Epoch;
        SetLearningRate(metadata.LearningRate);
        _stopping.BestValue = metadata.BestValue;
        _stopping.BestEpoch = metadata.BestEpoch;
        _stopping.BadEpochs = metadata.BadEpochs;
        _stopping.PlateauBest = metadata.PlateauBest;
        _stopping.PlateauBadEpochs = metadata.PlateauBadEpochs;
        _stopping.Stopped = metadata.Stopped;
        _lastTrainLoss = metadata.LastTrainLoss;
        _bestMetrics = new Dictionary<string, double>(metadata.BestMetrics, StringComparer.Ordinal);
    }

    public void Dispose()
    {
        foreach (var tensor in _best.Values)
        {
            tensor.Dispose();
        }

        _optimizer.Dispose();
        _model.Dispose();
    }
}
