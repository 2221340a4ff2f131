namespace RnnLab.Grains.Execution;

/// <summary>Finds the executor for a task name among the registered ones.</summary>
public sealed class TrialExecutorCatalog(IEnumerable<ITrialExecutor> executors)
{
    private readonly IReadOnlyList<ITrialExecutor> _executors = executors.ToList();

    public ITrialExecutor Get(string task) =>
        _executors.FirstOrDefault(e => e.Tasks.Contains(task, StringComparer.OrdinalIgnoreCase))
        ?? _executors.FirstOrDefault(e => e.Tasks.Contains("*"))
        ?? throw new InvalidOperationException(
            $"No executor runs task '{task}' on this worker (known: {string.Join(", ", _executors.SelectMany(e => e.Tasks))}).");
}
