using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Training.Tests;

/// <summary>The trainer's Adam step: the same updates as TorchSharp's Adam, and no failure while other threads force
/// garbage collections (which finalize the library step's temporary scalars mid-call).</summary>
[Collection(Name)]
public sealed class RootedAdamTests
{
    public const string Name = "rooted adam";

    [Fact]
    public void Steps_equal_torchsharp_adam_including_a_learning_rate_change()
    {
        var (ours, oursOptimizer) = Parameters(seed: 3, p => new RootedAdam(p, 0.01));
        var (library, libraryOptimizer) = Parameters(seed: 3, p => optim.Adam(p, 0.01));
        var initial = ours.Select(p => p.detach().clone()).ToArray();
        var generator = new Generator(9);
        for (var step = 0; step < 30; step++)
        {
            if (step == 15)
            {
                oursOptimizer.ParamGroups.First().LearningRate = 0.002;
                libraryOptimizer.ParamGroups.First().LearningRate = 0.002;
            }

            for (var i = 0; i < ours.Length; i++)
            {
                var grad = randn(ours[i].shape, generator: generator);
                ours[i].grad = grad.clone();
                library[i].grad = grad;
            }

            oursOptimizer.step();
            libraryOptimizer.step();
        }

        for (var i = 0; i < ours.Length; i++)
        {
            Assert.True(ours[i].allclose(library[i], rtol: 1e-6, atol: 1e-7), $"parameter {i} differs from TorchSharp's Adam");
            Assert.False(ours[i].allclose(initial[i]), $"parameter {i} did not move");
        }
    }

    [Fact]
    public void Steps_survive_collections_forced_by_another_thread()
    {
        var (parameters, optimizer) = Parameters(seed: 4, p => new RootedAdam(p, 0.0001));
        var expected = parameters.Select(p => p.detach().clone().sub_(3)).ToArray();
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
        try
        {
            foreach (var p in parameters)
            {
                p.grad = ones_like(p);
            }

            for (var step = 0; step < 30000; step++)
            {
                optimizer.step();
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            collector.Join();
        }

        // With a constant gradient every Adam step moves each element by lr: 30000 × 0.0001.
        for (var i = 0; i < parameters.Length; i++)
        {
            Assert.True(parameters[i].allclose(expected[i], rtol: 0, atol: 1e-2), $"parameter {i} is not 3 below its start");
        }
    }

    private static (Parameter[] Parameters, OptimizerHelper Optimizer) Parameters(int seed, Func<IEnumerable<Parameter>, OptimizerHelper> create)
    {
        var generator = new Generator((ulong)seed);
        Parameter[] parameters = [new(randn(new long[] { 4, 3 }, generator: generator)), new(randn(new long[] { 5 }, generator: generator))];
        return (parameters, create(parameters));
    }
}

[CollectionDefinition(RootedAdamTests.Name, DisableParallelization = true)]
public sealed class RootedAdamCollection;
