using RnnLab.Sweeps.Parameters;
using RnnLab.Sweeps.Space;

namespace RnnLab.Sweeps.Spec;

/// <summary>Refuses a spec whose space can sample a bidirectional network on a next-step task (its targets would leak).</summary>
internal static class BidirectionalRule
{
    private const string Name = "bidirectional";

    public static void Check(SpecReader reader, TaskSpec? task, ParameterSet fixedValues, SearchSpace? space)
    {
        if (task is null || space is null || !space.Contains(Name) || TaskShapes.AllowsBidirectional(TaskShapes.Of(task.Name)))
        {
            return;
        }

        var canBeTrue = space[Name].Domain switch
        {
            FixedDomain fixedDomain => fixedDomain.Value.Equals(ParameterValue.Boolean(true)),
            CategoricalDomain categorical => categorical.Contains(ParameterValue.Boolean(true)),
            _ => false,
        };
        if (canBeTrue)
        {
            var path = fixedValues.ContainsKey(Name) ? SpecPath.Key("fixed", Name) : SpecPath.Key("search.space", Name);
            reader.Error(path, "cannot be true: " + TaskShapes.BidirectionalLeak(task.Name));
        }
    }
}
