using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnLab.Training;

/// <summary>
/// TorchSharp's <see cref="SGD"/> (same options and state, so checkpoints and learning-rate changes are unchanged)
/// with a step that holds every scalar it passes to libtorch until the op returns. The library's step passes the
/// momentum and the learning rate as temporary scalars that are unreachable during the native call, so a garbage
/// collection started by another thread (a second trial in the process) can finalize one while libtorch reads it.
/// Only the options trials use are supported: momentum (Nesterov when set), no dampening, weight decay or maximize.
/// </summary>
internal sealed class RootedSgd(IEnumerable<Parameter> parameters, double lr, double momentum)
    : SGD(parameters, lr, momentum, nesterov: momentum > 0)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(
        group =>
        {
            var options = group.Options;
            if (options.dampening is not (null or 0) || options.weight_decay is not (null or 0) || options.maximize is true)
            {
                throw new NotSupportedException("this SGD supports neither dampening, weight decay nor maximize");
            }

            var momentum = options.momentum ?? 0;
            var nesterov = options.nesterov is true;
            using var decay = momentum.ToScalar();
            using var one = 1.0.ToScalar();
            using var alpha = (-options.LearningRate!.Value).ToScalar();
            foreach (var param in group.Parameters)
            {
                var grad = param.grad;
                if (grad is null)
                {
                    continue;
                }

                if (momentum == 0)
                {
                    param.add_(grad, alpha);
                    continue;
                }

                var state = (State)_state[param.Handle];
                if (state.momentum_buffer is null)
                {
                    state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    state.momentum_buffer.mul_(decay).add_(grad, one);
                }

                if (nesterov)
                {
                    using var look = grad.add(state.momentum_buffer, decay);
                    param.add_(look, alpha);
                }
                else
                {
                    param.add_(state.momentum_buffer, alpha);
                }
            }
        },
        closure);
}
