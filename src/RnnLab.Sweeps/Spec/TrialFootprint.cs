using System.Globalization;
using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Spec;

/// <summary>
/// A worst-case estimate of one trial's memory from its spec, before anything runs: the largest hidden size, layers,
/// directions, batch and sequence length the space can sample, the activations back-propagation through time keeps,
/// the weights with their optimizer state, and the examples of a generated task. Coarse on purpose: it only has to
/// catch the spec that would take a worker down.
/// </summary>
public sealed record TrialFootprint(long Bytes, long Sequence, long Batch, long Hidden, long Layers, int Directions, long Examples)
{
    // Floats kept per unit and step for the backward pass (gates, cell state and their derivatives).
    private const long SavedPerUnitStep = 10;

    // Weights, gradients and two optimizer moments.
    private const long CopiesPerWeight = 4;

    public static TrialFootprint Estimate(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var hidden = Largest(spec, "hidden") ?? 128;
        var layers = Largest(spec, "layers") ?? 1;
        var batch = Largest(spec, "batch") ?? 32;
        var directions = CanBeTrue(spec, "bidirectional") ? 2 : 1;
        var sequence = Largest(spec, "bptt")
            ?? SpecLimits.SequenceLengthOptions.Select(name => Option(spec, name)).FirstOrDefault(v => v is not null)
            ?? 200;
        var examples = (Option(spec, "train_size") ?? (spec.Task.Name is "adding" or "copy" ? 10_000 : 0))
            + 2 * (Option(spec, "eval_size") ?? (spec.Task.Name is "adding" or "copy" ? 1_000 : 0));

        // In doubles: options such as train_size are not bounded, and the estimate must never overflow.
        var activations = (double)sequence * batch * hidden * layers * directions * SavedPerUnitStep;
        var weights = (double)layers * directions * 4 * hidden * (2 * hidden + 1) * CopiesPerWeight;
        var data = (double)examples * sequence * 2;
        var bytes = 4 * (activations + weights + data);
        return new TrialFootprint(bytes >= long.MaxValue ? long.MaxValue : (long)bytes, sequence, batch, hidden, layers, directions, examples);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Readable(Bytes)} (sequence {Sequence} × batch {Batch} × hidden {Hidden} × layers {Layers} × {Directions} direction(s), {Examples} examples)");

    public static string Readable(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB");

    private static long? Largest(SweepSpec spec, string name)
    {
        var values = new List<double>();
        if (spec.Fixed.TryGetValue(name, out var fixedValue) && fixedValue.IsNumeric)
        {
            values.Add(fixedValue.AsDouble());
        }

        if (spec.Space.Contains(name))
        {
            switch (spec.Space[name].Domain)
            {
                case NumericDomain numeric:
                    values.Add(numeric.High);
                    break;
                case CategoricalDomain categorical:
                    values.AddRange(categorical.Choices.Where(c => c.IsNumeric).Select(c => c.AsDouble()));
                    break;
                case FixedDomain { Value.IsNumeric: true } fixedDomain:
                    values.Add(fixedDomain.Value.AsDouble());
                    break;
            }
        }

        return values.Count == 0 ? null : (long)Math.Ceiling(values.Max());
    }

    private static bool CanBeTrue(SweepSpec spec, string name)
    {
        var yes = ParameterValue.Boolean(true);
        return (spec.Fixed.TryGetValue(name, out var value) && value.Equals(yes)) ||
               (spec.Space.Contains(name) && spec.Space[name].Domain switch
               {
                   CategoricalDomain categorical => categorical.Choices.Contains(yes),
                   FixedDomain fixedDomain => fixedDomain.Value.Equals(yes),
                   _ => false,
               });
    }

    private static long? Option(SweepSpec spec, string name) =>
        spec.Task.Options.TryGetValue(name, out var value) && value.IsNumeric ? (long)Math.Ceiling(value.AsDouble()) : null;
}
