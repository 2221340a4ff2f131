namespace RnnLab.Tasks;

/// <summary>The three parts of a task's data.</summary>
public enum DataSplit
{
    Train,
    Valid,
    Test,
}
