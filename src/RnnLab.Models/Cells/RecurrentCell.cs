using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Cells;

/// <summary>
/// Base of every cell: the input side of all steps is one projection of the whole sequence; the recurrence runs
/// either in a hand-written sequence kernel (default) or as plain autograd steps (the reference the kernel is tested against).
/// </summary>
public abstract class RecurrentCell : nn.Module, IRecurrentCell
{
    protected RecurrentCell(string cellName, CellOptions options)
        : base(cellName)
    {
        if (options.InputSize <= 0 || options.HiddenSize <= 0)
        {
            throw new ArgumentException($"Cell '{cellName}' needs positive input and hidden sizes, got {options.InputSize} and {options.HiddenSize}.");
        }

        CellName = cellName;
        Options = options;
    }

    public string CellName { get; }

    public CellOptions Options { get; }

    public int InputSize => Options.InputSize;

    public int HiddenSize => Options.HiddenSize;

    public virtual int StateCount => 1;

    /// <summary>False runs the autograd reference steps instead of the sequence kernel.</summary>
    public bool UseKernel { get; set; } = true;

    /// <summary>The input side of every step at once: [T,B,In] → [T,B,K], biases included.</summary>
    public abstract Tensor ProjectInput(Tensor x);

    /// <summary>One unmasked step from the projected input [B,K] and the state; plain autograd ops.</summary>
    public abstract Tensor[] Step(Tensor projected, Tensor[] state);

    /// <summary>The recurrence over projected [T,B,K]; returns the outputs [T,B,H] followed by the final state.</summary>
    protected virtual Tensor[] RunKernel(Tensor projected, Tensor? mask, Tensor[] state) => RunSteps(projected, mask, state);

    public virtual Tensor[] ZeroState(long batch, ScalarType dtype, Device device) =>
        Enumerable.Range(0, StateCount).Select(_ => zeros(new long[] { batch, HiddenSize }, dtype, device)).ToArray();

    public (Tensor Output, Tensor[] State) Run(Tensor x, Tensor? mask, Tensor[]? state)
    {
        if (x.dim() != 3 || x.shape[2] != InputSize)
        {
            throw new ArgumentException($"Cell '{CellName}' expects input [T,B,{InputSize}], got [{string.Join(",", x.shape)}].");
        }

        state ??= ZeroState(x.shape[1], x.dtype, x.device);
        if (state.Length != StateCount)
        {
            throw new ArgumentException($"Cell '{CellName}' carries {StateCount} state tensors, got {state.Length}.");
        }

        Tensor? stepMask = null;
        if (mask is not null)
        {
            if (mask.dim() != 2 || mask.shape[0] != x.shape[0] || mask.shape[1] != x.shape[1])
            {
                throw new ArgumentException($"Mask must be [T,B] = [{x.shape[0]},{x.shape[1]}], got [{string.Join(",", mask.shape)}].");
            }

            stepMask = mask.to(x.dtype).unsqueeze(2);
        }

        var projected = ProjectInput(x);
        var result = UseKernel ? RunKernel(projected.contiguous(), stepMask, state) : RunSteps(projected, stepMask, state);
        return (result[0], result[1..]);
    }

    protected Tensor[] RunSteps(Tensor projected, Tensor? mask, Tensor[] state) => RunSteps(projected, mask, state, Step);

    /// <summary>The recurrence one <paramref name="step"/> (projected input [B,K], state → next state) at a time; a
    /// padded step keeps the state and outputs zeros.</summary>
    protected static Tensor[] RunSteps(Tensor projected, Tensor? mask, Tensor[] state, Func<Tensor, Tensor[], Tensor[]> step)
    {
        var inputs = projected.unbind(0);
        var masks = mask?.unbind(0);
        var outputs = new Tensor[inputs.Length];
        for (var t = 0; t < inputs.Length; t++)
        {
            var next = step(inputs[t], state);
            if (masks is null)
            {
                outputs[t] = next[0];
                state = next;
            }
            else
            {
                var m = masks[t];
                outputs[t] = next[0] * m;
                state = state.Zip(next, (s, n) => s + m * (n - s)).ToArray();
            }
        }

        return [stack(outputs), .. state];
    }

    /// <summary>Registers a zero parameter; look it up with <see cref="P"/> because moving the module replaces it.</summary>
    protected Tensor AddParameter(string name, params long[] shape)
    {
        var p = new TorchSharp.Modules.Parameter(zeros(shape));
        register_parameter(name, p);
        return p;
    }

    protected Tensor P(string name) =>
        get_parameter(name) ?? throw new InvalidOperationException($"Cell '{CellName}' has no parameter '{name}'.");

    protected Tensor? OptionalP(string name) => get_parameter(name);
}
