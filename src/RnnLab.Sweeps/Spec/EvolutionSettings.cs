using RnnLab.CellGraphs;

namespace RnnLab.Sweeps.Spec;

/// <summary>Reads the evolutionary sampler's keys of <c>search.sampler</c>.</summary>
internal static class EvolutionSettings
{
    public static EvolutionSpec Read(SpecReader reader, SpecMap map, string path)
    {
        var population = map["population"] is null ? 20 : (int)(reader.Integer(map["population"], SpecPath.Key(path, "population"), 1, 10_000) ?? 20);
        var tournament = map["tournament"] is null ? 4 : (int)(reader.Integer(map["tournament"], SpecPath.Key(path, "tournament"), 1, 1_000) ?? 4);
        var mutations = map["mutations"] is null ? 2 : (int)(reader.Integer(map["mutations"], SpecPath.Key(path, "mutations"), 1, 20) ?? 2);
        var seeds = EvolutionSpec.DefaultSeeds;
        if (map["seeds"] is SpecList list)
        {
            var names = new List<string>();
            for (var i = 0; i < list.Items.Count; i++)
            {
                var itemPath = SpecPath.Index(SpecPath.Key(path, "seeds"), i);
                if (reader.Text(list.Items[i], itemPath) is { } name)
                {
                    if (BuiltinCellGraphs.Contains(name))
                    {
                        names.Add(name);
                    }
                    else
                    {
                        reader.Error(itemPath, $"'{name}' is not a built-in cell ({string.Join(", ", BuiltinCellGraphs.Names)})");
                    }
                }
            }

            seeds = names.Count > 0 ? names : seeds;
        }
        else if (map["seeds"] is not null)
        {
            reader.Error(SpecPath.Key(path, "seeds"), "expected a list of built-in cells, e.g. [lstm, gru]");
        }

        return new EvolutionSpec(seeds, population, tournament, mutations);
    }
}
