namespace RnnLab.Tasks;

/// <summary>A metric a task reports, and which direction is better.</summary>
public sealed record MetricDefinition(string Name, bool LowerIsBetter, string Description);
