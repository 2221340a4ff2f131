namespace RnnLab.Dashboard.Aggregation;

/// <summary>
/// One hyperparameter as a numeric column: numbers as they are (log10 when positive and spanning two decades or
/// more, like a learning rate), text as the index of its category; NaN where a trial lacks it.
/// </summary>
public sealed record ParameterColumn(string Name, bool LogScale, IReadOnlyList<string>? Categories, IReadOnlyList<double> Values)
{
    public bool IsCategorical => Categories is not null;

    public string Label => LogScale ? $"log10({Name})" : Name;

    /// <summary>The cell (as a category) and every sampled hyperparameter that varies over the trials.</summary>
    public static IReadOnlyList<ParameterColumn> From(IReadOnlyList<TrialSummary> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var columns = new List<ParameterColumn>();
        var cells = trials.Select(t => t.Cell).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (cells.Length > 1)
        {
            columns.Add(new ParameterColumn("cell", false, cells, trials.Select(t => (double)Array.IndexOf(cells, t.Cell)).ToArray()));
        }

        var names = trials.SelectMany(t => t.Parameters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var raw = trials.Select(t => t.Parameters.GetValueOrDefault(name)).ToArray();
            if (raw.Any(v => v is string))
            {
                var categories = raw.Select(v => v?.ToString()).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                if (categories.Length > 1)
                {
                    columns.Add(new ParameterColumn(name, false, categories,
                        raw.Select(v => v is null ? double.NaN : Array.IndexOf(categories, v.ToString())).ToArray()));
                }

                continue;
            }

            var numbers = raw.Select(v => v is double d ? d : double.NaN).ToArray();
            var present = numbers.Where(double.IsFinite).ToArray();
            if (present.Length == 0 || present.Min() == present.Max())
            {
                continue;
            }

            var log = present.Min() > 0 && present.Max() / present.Min() >= 100;
            columns.Add(new ParameterColumn(name, log, null, log ? numbers.Select(Math.Log10).ToArray() : numbers));
        }

        return columns;
    }
}
