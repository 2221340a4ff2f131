namespace RnnLab.Tasks.Tests;

/// <summary>Locates the shared test data (RNNLAB_DATA_DIR, else ../shared/data above the repository).</summary>
internal static class TestData
{
    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("RNNLAB_DATA_DIR");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("test data not found: set RNNLAB_DATA_DIR to the shared data directory");
        }
    }

    public static string Jsb => Path.Combine(Directory, "jsb-chorales-quarter.json");

    public static string Shakespeare => Path.Combine(Directory, "tinyshakespeare.txt");
}
