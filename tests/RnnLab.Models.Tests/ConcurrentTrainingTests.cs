using RnnLab.CellGraphs;
using RnnLab.Models.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Tests;

/// <summary>
/// Networks training at once in one process (a sweep with parallelism above one) while other threads start garbage
/// collections, as a second trial's allocations do: the forward and backward passes of the sequence kernels, with
/// padding masks, on the managed loops (small batch) and the tensor-op loops (large batch), must neither fail nor
/// change the results each network gets alone. The training loop here uses only rooted scalars itself, so a failure
/// comes from the networks. Runs alone: its forced collections would expose other tests' temporary scalars too.
/// </summary>
[Collection(Name)]
public sealed class ConcurrentTrainingTests
{
    public const string Name = "concurrent training";

    private const int Steps = 120;
    private const int Length = 12;
    private const int Inputs = 5;

    public static TheoryData<string, string, bool> Pairs() => new()
    {
        { CellNames.Mut1, CellNames.Gru, true },
        { CellNames.Gru, CellNames.Mut1, false },
        { CellNames.Lstm, CellNames.Mut2, true },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Networks_train_concurrently_under_collections_as_they_train_alone(string first, string second, bool bidirectional)
    {
        // Batch × hidden 48 × 24 runs the tensor-op loops, 2 × 24 the managed ones.
        Job[] jobs = [new(first, bidirectional, 48, 1), new(second, bidirectional, 2, 2), new(second, !bidirectional, 48, 3), new(first, !bidirectional, 2, 4)];
        var alone = jobs.Select(j => j.Train()).ToArray();

        var together = new float[jobs.Length][];
        var errors = new Exception?[jobs.Length];
        var training = jobs.Select((job, i) => new Thread(() =>
        {
            try
            {
                together[i] = job.Train();
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        })).ToArray();
        var stop = 0;
        var collector = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });

        collector.Start();
        foreach (var thread in training)
        {
            thread.Start();
        }

        foreach (var thread in training)
        {
            thread.Join();
        }

        Volatile.Write(ref stop, 1);
        collector.Join();
        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.True(errors[i] is null, $"{jobs[i]} failed while others trained: {errors[i]}");
            Assert.Equal(alone[i], together[i]);
        }
    }

    /// <summary>A small training run: a right-padded batch, forward, masked squared output as loss, backward, and a
    /// plain gradient step per iteration; returns the losses.</summary>
    private sealed record Job(string Cell, bool Bidirectional, int Batch, int Seed)
    {
        public float[] Train()
        {
            set_num_threads(1);
            using var minusRate = (-0.005).ToScalar();
            var generator = new Generator((ulong)Seed);
            using var network = new RecurrentNetwork(new NetworkOptions
            {
                Cell = Cell, InputSize = Inputs, HiddenSize = 24, Layers = 2, Bidirectional = Bidirectional,
                Head = HeadKind.Sequence, OutputSize = 3,
            });
            var parameters = network.parameters().ToArray();
            using (no_grad())
            {
                foreach (var p in parameters)
                {
                    p.uniform_(-0.3, 0.3, generator);
                }
            }

            var losses = new float[Steps];
            for (var step = 0; step < Steps; step++)
            {
                using var scope = NewDisposeScope();
                var x = randn(new long[] { Length, Batch, Inputs }, generator: generator);
                var lengths = randint(4, Length + 1, new long[] { Batch }, generator: generator);
                var mask = arange(Length).unsqueeze(1).lt(lengths.unsqueeze(0)).to(float32);
                var (output, _) = network.Forward(x, mask);
                var loss = output.mul(output).mul(mask.unsqueeze(2)).sum();
                loss.backward();
                using (no_grad())
                {
                    foreach (var p in parameters)
                    {
                        var grad = p.grad!;
                        p.add_(grad, minusRate);
                        grad.zero_();
                    }
                }

                losses[step] = loss.item<float>();
            }

            return losses;
        }
    }
}

[CollectionDefinition(ConcurrentTrainingTests.Name, DisableParallelization = true)]
public sealed class ConcurrentTrainingCollection;
