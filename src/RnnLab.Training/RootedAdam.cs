using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>
/// TorchSharp's <see cref="Adam"/> (same state, so checkpoints and learning-rate changes are unchanged) with a step
/// that holds every scalar it passes to libtorch until the op returns. The library's step converts numbers such as
/// 1 − β₁ into temporary scalars that are unreachable during the native call, so a garbage collection started by
/// another thread (a second trial in the process) can finalize one while libtorch reads it, failing the trial with
/// "Expected false to be true" from c10::Scalar. Only the options trials use are supported (no weight decay,
/// amsgrad or maximize).
/// </summary>
internal sealed class RootedAdam(IEnumerable<Parameter> parameters, double lr) : Adam(parameters, lr)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(
        group =>
        {
            var options = (Options)group.Options;
            if (options.weight_decay is not (null or 0) || options.amsgrad is true || options.maximize is true)
            {
                throw new NotSupportedException("this Adam supports neither weight decay, amsgrad nor maximize");
            }

            var beta1 = options.beta1!.Value;
            var beta2 = options.beta2!.Value;
            using var decay1 = beta1.ToScalar();
            using var decay2 = beta2.ToScalar();
            using var rest1 = (1 - beta1).ToScalar();
            using var rest2 = (1 - beta2).ToScalar();
            using var eps = options.eps!.Value.ToScalar();
            using var one = 1.0.ToScalar();
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null)
                {
                    continue;
                }

                var state = (State)_state[param.Handle];
                state.step += 1;
                state.exp_avg.mul_(decay1).add_(grad, rest1);
                state.exp_avg_sq.mul_(decay2).addcmul_(grad, grad, rest2);
                using var correction2 = Math.Sqrt(1 - Math.Pow(beta2, state.step)).ToScalar();
                using var stepSize = (-options.LearningRate!.Value / (1 - Math.Pow(beta1, state.step))).ToScalar();
                var denominator = state.exp_avg_sq.sqrt().div_(correction2).add_(eps, one);
                param.addcdiv_(state.exp_avg, denominator, stepSize);
            }
        },
        closure);
}
