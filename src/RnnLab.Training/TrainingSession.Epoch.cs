using RnnLab.Models;
using RnnLab.Models.Seq2Seq;
using RnnLab.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>The inner loops: one training epoch (BPTT, truncated when <c>bptt</c> is set) and an evaluation pass.</summary>
internal sealed partial class TrainingSession
{
    private readonly record struct EpochOutcome(LossTotals Totals, bool Cancelled, string? Divergence);

    private EpochOutcome TrainEpoch(int epoch, CancellationToken cancellationToken)
    {
        _model.train();
        if (_config.Dropout > 0)
        {
            // Dropout draws from libtorch's global generator; seeding it per epoch makes a resumed run repeat the
            // uninterrupted one (when no other trial in the process uses it concurrently).
            TorchRandom.Seeded(Seeds.Derive(_config.Seed, epoch, 0x64726f70), () => 0);
        }

        using var noise = _config.InputNoise > 0 && !_task.TokenInput
            ? new Generator((ulong)Seeds.Derive(_config.Seed, epoch, 0x6e6f6973))
            : null;
        var totals = new LossTotals();
        RecurrentState? carried = null;
        try
        {
            var batchIndex = 0;
            foreach (var batch in _task.Batches(DataSplit.Train, new BatchOptions(_config.Batch, _config.Bptt, _config.Seed, epoch)))
            {
                using (batch)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return new EpochOutcome(totals, Cancelled: true, null);
                    }

                    if (!batch.ContinuesState)
                    {
                        carried?.Dispose();
                        carried = null;
                    }

                    // A decoder's input is whole sentences: a sequence-to-sequence batch is never cut.
                    var chunk = _config.Bptt > 0 && batch.DecoderInput is null ? Math.Min(_config.Bptt, batch.Steps) : batch.Steps;
                    for (long start = 0; start < batch.Steps; start += chunk)
                    {
                        var length = Math.Min(chunk, batch.Steps - start);
                        var step = TrainChunk(batch, start, length, noise, ref carried);
                        if (step is { } loss)
                        {
                            if (!double.IsFinite(loss.Mean))
                            {
                                return new EpochOutcome(totals, false, $"training loss became {loss.Mean} in epoch {epoch + 1}, batch {batchIndex + 1}");
                            }

                            totals = totals.Add(loss.Sum, loss.Count);
                        }
                    }
                }

                batchIndex++;
            }

            return new EpochOutcome(totals, false, null);
        }
        finally
        {
            carried?.Dispose();
        }
    }

    /// <summary>Forward, backward and an optimizer step on steps [start, start+length) of a batch, carrying the
    /// recurrent state in and out (detached: gradients stop at the chunk boundary). Null when the chunk has no loss.</summary>
    private LossTotals? TrainChunk(Batch batch, long start, long length, Generator? noise, ref RecurrentState? carried)
    {
        using var scope = torch.NewDisposeScope();
        var piece = start == 0 && length == batch.Steps ? batch : batch.Slice(start, length);
        var lastChunk = start + length >= batch.Steps;
        var input = piece.Input;
        if (noise is not null)
        {
            // Scalars passed to native ops are held in locals until the op returns (see RootedAdam for why).
            using var scale = _config.InputNoise.ToScalar();
            using var one = 1.0.ToScalar();
            input = input.add(torch.randn(input.shape, generator: noise).mul_(scale), one);
        }

        var mask = batch.Padded ? piece.Mask : null;
        if (!piece.PerStepTarget && !lastChunk)
        {
            // A many-to-one target is only seen after the last chunk; earlier chunks just carry the state forward.
            using (torch.no_grad())
            {
                var (_, passed) = Forward(piece, input, mask, carried);
                Carry(passed, ref carried);
            }

            return null;
        }

        var (output, state) = Forward(piece, input, mask, carried);
        var loss = _task.Loss(output, piece);
        Carry(state, ref carried);
        if (loss.Count == 0)
        {
            return null;
        }

        using var count = ((double)loss.Count).ToScalar();
        var mean = loss.Sum.div(count);
        var value = mean.item<float>();
        if (!float.IsFinite(value))
        {
            return new LossTotals(value, 1);
        }

        _optimizer.zero_grad();
        mean.backward();
        if (_config.Clip > 0)
        {
            nn.utils.clip_grad_norm_(_model.parameters(), _config.Clip);
        }

        _optimizer.step();
        return new LossTotals((double)value * loss.Count, loss.Count);
    }

    private static void Carry(RecurrentState state, ref RecurrentState? carried)
    {
        var next = state.Detach();
        foreach (var tensor in next.Layers.SelectMany(l => l).SelectMany(d => d))
        {
            tensor.DetachFromDisposeScope();
        }

        carried?.Dispose();
        carried = next;
    }

    private IReadOnlyDictionary<string, double> Evaluate(DataSplit split)
    {
        _model.eval();
        var totals = new LossTotals();
        var counts = new MetricCounts();
        RecurrentState? carried = null;
        try
        {
            using var noGrad = torch.no_grad();
            foreach (var batch in _task.Batches(split, new BatchOptions(_config.Batch, _config.Bptt, _config.Seed, 0)))
            {
                using (batch)
                {
                    if (!batch.ContinuesState)
                    {
                        carried?.Dispose();
                        carried = null;
                    }

                    using var scope = torch.NewDisposeScope();
                    var (output, state) = Forward(batch, batch.Input, batch.Padded ? batch.Mask : null, carried);
                    var loss = _task.Loss(output, batch);
                    totals = totals.Add(loss.Sum.item<float>(), loss.Count);
                    Carry(state, ref carried);
                    Count(output, batch, counts);
                }
            }
        }
        finally
        {
            carried?.Dispose();
            _model.train();
        }

        return _task switch
        {
            ISequenceToSequenceTask translation => translation.Summarize(totals, counts),
            ICountedTask counted => counted.Summarize(totals, counts),
            _ => _task.Summarize(totals),
        };
    }

    /// <summary>The network's output on a batch (or a slice of it), and the state to carry on (none for an encoder–decoder).</summary>
    private (Tensor Output, RecurrentState State) Forward(Batch batch, Tensor input, Tensor? mask, RecurrentState? carried) => _model switch
    {
        Seq2SeqNetwork seq2seq => (seq2seq.Forward(input, mask, batch.DecoderInput
            ?? throw new ArgumentException($"task '{_task.Name}' gave a batch without a decoder input to an encoder–decoder network")), new RecurrentState([])),
        RecurrentNetwork network => network.Forward(input, mask, carried),
        _ => throw new InvalidOperationException($"no forward pass for {_model.GetType().Name}"),
    };

    /// <summary>What an evaluated batch adds to the metrics beyond its loss: the task's own counts, or for a
    /// sequence-to-sequence task the scores of greedy decoding (outputs at most twice the source plus ten symbols).</summary>
    private void Count(Tensor output, Batch batch, MetricCounts counts)
    {
        if (_task is ISequenceToSequenceTask translation && _model is Seq2SeqNetwork seq2seq)
        {
            var limit = (int)Math.Min(translation.MaxOutputLength, (2 * batch.Steps) + 10);
            var decoded = new SequenceDecoder(seq2seq, translation.BeginToken, translation.EndToken)
                .Greedy(batch.Input, batch.Padded ? batch.Mask : null, limit);
            translation.CountDecoded(decoded, batch, counts);
        }
        else if (_task is ICountedTask counted)
        {
            counted.Count(output, batch, counts);
        }
    }
}
