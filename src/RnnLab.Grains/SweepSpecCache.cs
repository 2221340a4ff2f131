using System.Collections.Concurrent;
using RnnLab.Storage;
using RnnLab.Sweeps.Spec;

namespace RnnLab.Grains;

/// <summary>Parsed specs per sweep on this silo, so trial activations do not re-read and re-parse them.</summary>
internal sealed class SweepSpecCache(ISweepStore sweeps)
{
    private readonly ConcurrentDictionary<Guid, SweepSpec> _specs = new();

    public async Task<SweepSpec> GetAsync(Guid sweepId)
    {
        if (_specs.TryGetValue(sweepId, out var spec))
        {
            return spec;
        }

        var record = await sweeps.GetAsync(sweepId) ?? throw new KeyNotFoundException($"Sweep {sweepId} does not exist.");
        spec = SweepSpec.ParseOrThrow(record.SpecText);
        _specs[sweepId] = spec;
        return spec;
    }
}
