using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using RnnLab.CellGraphs;
using RnnLab.Models.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace RnnLab.Models.Graphs;

/// <summary>
/// A run of element-wise nodes of a cell graph's step (everything between two affine maps), evaluated in vectorised
/// managed loops over a step's slots (each [B·H] values, see <see cref="StepProgram"/>), with its hand-derived backward
/// pass (see <see cref="GraphSequenceFunction"/>). Its parameters (<c>scale</c>, <c>bias</c>: [H] each) are numbered
/// apart.
/// </summary>
internal sealed class ElementwiseRegion(int parameterCount, IReadOnlyList<ElementwiseRegion.Op> ops)
{
    /// <summary>One node: its op, the slots it reads, the slot it writes, the parameter it uses (scale, bias) or −1.</summary>
    public sealed record Op(CellOp Kind, int[] Inputs, int Output, int Parameter);

    public int ParameterCount { get; } = parameterCount;

    public IReadOnlyList<Op> Ops { get; } = ops;

    /// <summary>Whether regions run on tensors of this kind (CPU float32 or float64).</summary>
    public static bool Supports(Tensor t) => t.device_type == DeviceType.CPU && t.dtype is ScalarType.Float32 or ScalarType.Float64;

    internal void Forward<T>(Span<T> values, ReadOnlySpan<T> parameters, int elements, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var k = 0; k < Ops.Count; k++)
        {
            var op = Ops[k];
            var y = values.Slice(op.Output * elements, elements);
            ReadOnlySpan<T> a = values.Slice(op.Inputs[0] * elements, elements);
            ReadOnlySpan<T> b = op.Inputs.Length > 1 ? values.Slice(op.Inputs[1] * elements, elements) : default;
            var p = op.Parameter >= 0 ? parameters.Slice(op.Parameter * hidden, hidden) : default;
            switch (op.Kind)
            {
                case CellOp.Scale:
                    for (var row = 0; row < elements; row += hidden)
                    {
                        TensorPrimitives.Multiply(a.Slice(row, hidden), p, y.Slice(row, hidden));
                    }

                    break;
                case CellOp.Bias:
                    for (var row = 0; row < elements; row += hidden)
                    {
                        TensorPrimitives.Add(a.Slice(row, hidden), p, y.Slice(row, hidden));
                    }

                    break;
                case CellOp.Sigmoid:
                    TensorPrimitives.Sigmoid(a, y);
                    break;
                case CellOp.Tanh:
                    TensorPrimitives.Tanh(a, y);
                    break;
                case CellOp.Relu:
                    TensorPrimitives.Max(a, T.Zero, y);
                    break;
                case CellOp.Identity:
                    a.CopyTo(y);
                    break;
                case CellOp.Add:
                    TensorPrimitives.Add(a, b, y);
                    foreach (var other in op.Inputs.AsSpan(2))
                    {
                        TensorPrimitives.Add(y, values.Slice(other * elements, elements), y);
                    }

                    break;
                case CellOp.Subtract:
                    TensorPrimitives.Subtract(a, b, y);
                    break;
                case CellOp.Multiply:
                    TensorPrimitives.Multiply(a, b, y);
                    break;
                case CellOp.OneMinus:
                    TensorPrimitives.Subtract(T.One, a, y);
                    break;
                default:
                    throw new InvalidOperationException($"op {op.Kind} is not element-wise");
            }
        }
    }

    /// <summary>Adds each node's gradient to its inputs', in reverse; <paramref name="adjoints"/> holds the gradients
    /// of the outputs on entry and of every value on exit; parameter gradients are summed over the batch.
    /// <paramref name="scratch"/> has one value's length.</summary>
    internal void Backward<T>(ReadOnlySpan<T> values, ReadOnlySpan<T> parameters, Span<T> adjoints, Span<T> parameterGrads, Span<T> scratch, int elements, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var k = Ops.Count - 1; k >= 0; k--)
        {
            var op = Ops[k];
            var y = values.Slice(op.Output * elements, elements);
            ReadOnlySpan<T> dy = adjoints.Slice(op.Output * elements, elements);
            var a = values.Slice(op.Inputs[0] * elements, elements);
            var da = adjoints.Slice(op.Inputs[0] * elements, elements);
            var p = op.Parameter >= 0 ? parameters.Slice(op.Parameter * hidden, hidden) : default;
            var dp = op.Parameter >= 0 ? parameterGrads.Slice(op.Parameter * hidden, hidden) : default;
            switch (op.Kind)
            {
                case CellOp.Scale:
                    for (var row = 0; row < elements; row += hidden)
                    {
                        var dyRow = dy.Slice(row, hidden);
                        TensorPrimitives.MultiplyAdd(dyRow, a.Slice(row, hidden), dp, dp);
                        var daRow = da.Slice(row, hidden);
                        TensorPrimitives.MultiplyAdd(dyRow, p, daRow, daRow);
                    }

                    break;
                case CellOp.Bias:
                    for (var row = 0; row < elements; row += hidden)
                    {
                        TensorPrimitives.Add(dp, dy.Slice(row, hidden), dp);
                    }

                    TensorPrimitives.Add(da, dy, da);
                    break;
                case CellOp.Sigmoid:
                    // σ' = y (1 − y)
                    TensorPrimitives.Subtract(T.One, y, scratch);
                    TensorPrimitives.Multiply(scratch, y, scratch);
                    TensorPrimitives.MultiplyAdd(dy, scratch, da, da);
                    break;
                case CellOp.Tanh:
                    // tanh' = 1 − y²
                    TensorPrimitives.Multiply(y, y, scratch);
                    TensorPrimitives.Subtract(T.One, scratch, scratch);
                    TensorPrimitives.MultiplyAdd(dy, scratch, da, da);
                    break;
                case CellOp.Relu:
                    for (var i = 0; i < elements; i++)
                    {
                        if (a[i] > T.Zero)
                        {
                            da[i] += dy[i];
                        }
                    }

                    break;
                case CellOp.Identity:
                case CellOp.Add:
                    foreach (var input in op.Inputs)
                    {
                        var d = adjoints.Slice(input * elements, elements);
                        TensorPrimitives.Add(d, dy, d);
                    }

                    break;
                case CellOp.Subtract:
                    TensorPrimitives.Add(da, dy, da);
                    var ds = adjoints.Slice(op.Inputs[1] * elements, elements);
                    TensorPrimitives.Subtract(ds, dy, ds);
                    break;
                case CellOp.Multiply:
                    // The two inputs may be the same value: each product adds its own share.
                    var m = values.Slice(op.Inputs[1] * elements, elements);
                    var dm = adjoints.Slice(op.Inputs[1] * elements, elements);
                    TensorPrimitives.MultiplyAdd(dy, m, da, da);
                    TensorPrimitives.MultiplyAdd(dy, a, dm, dm);
                    break;
                case CellOp.OneMinus:
                    TensorPrimitives.Subtract(da, dy, da);
                    break;
                default:
                    throw new InvalidOperationException($"op {op.Kind} is not element-wise");
            }
        }
    }
}
