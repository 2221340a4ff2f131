namespace RnnLab.Sweeps.Tests;

/// <summary>Locates files of the repository (experiments/…) from the test's output folder.</summary>
internal static class RepositoryFiles
{
    public static string Read(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RnnLab.sln")))
            {
                return File.ReadAllText(Path.Combine(directory.FullName, relativePath));
            }
        }

        throw new FileNotFoundException("RnnLab.sln not found above " + AppContext.BaseDirectory);
    }
}
