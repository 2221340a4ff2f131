using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Training.Tests;

/// <summary>The trainer's Adam and SGD steps: the same updates as TorchSharp's optimizers, and no failure while other
/// threads force garbage collections (which finalize the library steps' temporary scalars mid-call).</summary>
[Collection(Name)]
public sealed class RootedOptimizerTests
{
    public const string Name = "rooted optimizers";

    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("sgd", 0.0)]
    [InlineData("sgd", 0.9)]
    public void Steps_equal_torchsharp_including_a_learning_rate_change(string kind, double momentum)
    {
        var (ours, oursOptimizer) = Parameters(seed: 3, p => Rooted(kind, p, 0.01, momentum));
        var (library, libraryOptimizer) = Parameters(seed: 3, p => Library(kind, p, 0.01, momentum));
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
            Assert.True(ours[i].allclose(library[i], rtol: 1e-6, atol: 1e-7), $"parameter {i} differs from TorchSharp's {kind}");
            Assert.False(ours[i].allclose(initial[i]), $"parameter {i} did not move");
        }
    }

    [Theory]
    [InlineData("adam", 0.0)]
    [InlineData("sgd", 0.9)]
    public void Steps_survive_collections_forced_by_another_thread(string kind, double momentum)
    {
        const int steps = 30000;
        var lr = kind == "adam" ? 1e-4 : 1e-5;
        var (parameters, optimizer) = Parameters(seed: 4, p => Rooted(kind, p, lr, momentum));

        // With a constant gradient of one, every Adam step moves each element by lr. Nesterov SGD's k-th step moves it
        // by lr (1 + m b_k) with the momentum buffer b_k = (1 − m^k) / (1 − m).
        var distance = kind == "adam"
            ? steps * lr
            : lr * Enumerable.Range(1, steps).Sum(k => 1 + momentum * (1 - Math.Pow(momentum, k)) / (1 - momentum));
        var expected = parameters.Select(p => p.detach().clone().sub_(distance)).ToArray();
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

            for (var step = 0; step < steps; step++)
            {
                optimizer.step();
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            collector.Join();
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            Assert.True(parameters[i].allclose(expected[i], rtol: 0, atol: 1e-2), $"parameter {i} did not move {distance:F3} down");
        }
    }

    private static OptimizerHelper Rooted(string kind, IEnumerable<Parameter> parameters, double lr, double momentum) =>
        kind == "adam" ? new RootedAdam(parameters, lr) : new RootedSgd(parameters, lr, momentum);

    private static OptimizerHelper Library(string kind, IEnumerable<Parameter> parameters, double lr, double momentum) =>
        kind == "adam" ? optim.Adam(parameters, lr) : optim.SGD(parameters, lr, momentum, nesterov: momentum > 0);

    private static (Parameter[] Parameters, OptimizerHelper Optimizer) Parameters(int seed, Func<IEnumerable<Parameter>, OptimizerHelper> create)
    {
        var generator = new Generator((ulong)seed);
        Parameter[] parameters = [new(randn(new long[] { 4, 3 }, generator: generator)), new(randn(new long[] { 5 }, generator: generator))];
        return (parameters, create(parameters));
    }
}

[CollectionDefinition(RootedOptimizerTests.Name, DisableParallelization = true)]
public sealed class RootedOptimizerCollection;
