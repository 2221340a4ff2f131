using RnnLab.Tasks.Data;
using RnnLab.Tasks.Memory;
using RnnLab.Tasks.Music;
using RnnLab.Tasks.Text;

namespace RnnLab.Tasks.Tests;

public sealed class TaskCatalogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnnlab-factory-").FullName;

    [Fact]
    public void BuiltInNamesResolveFromTheDataDirectory()
    {
        var music = Assert.IsType<PolyphonicMusicTask>(TaskCatalog.Create("jsb-chorales", null, TestData.Directory));
        Assert.Equal(229, music.Roll.Train.Count);
        Assert.IsType<CharLanguageTask>(TaskCatalog.Create("tinyshakespeare", null, TestData.Directory));
    }

    [Fact]
    public void PathsPickTheTaskByExtension()
    {
        var json = Path.Combine(_dir, "chorales.json");
        File.Copy(TestData.Jsb, json);
        var text = Path.Combine(_dir, "poem.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("静夜思 李白\n", 50)));

        Assert.IsType<PolyphonicMusicTask>(TaskCatalog.Create(json, null, _dir));
        Assert.IsType<CharLanguageTask>(TaskCatalog.Create(text, new Dictionary<string, string> { ["valid_fraction"] = "0.1" }, _dir));
    }

    [Fact]
    public void OptionsReachGeneratedTasks()
    {
        var adding = Assert.IsType<AddingTask>(TaskCatalog.Create("adding", new Dictionary<string, string> { ["length"] = "80" }));
        var copy = Assert.IsType<CopyMemoryTask>(TaskCatalog.Create("copy", new Dictionary<string, string> { ["length"] = "30", ["symbols"] = "4" }));

        Assert.Equal(80, adding.Length);
        Assert.Equal(38, copy.Steps);
    }

    [Fact]
    public void UnknownTaskListsTheBuiltInNames()
    {
        var error = Assert.Throws<ArgumentException>(() => TaskCatalog.Create("jsb", null, _dir));

        Assert.Contains("jsb-chorales, tinyshakespeare, adding, copy", error.Message);
    }

    [Fact]
    public void UnknownOrBadOptionsAreNamed()
    {
        var unknown = Assert.Throws<ArgumentException>(() => TaskCatalog.Create("adding", new Dictionary<string, string> { ["lenght"] = "5" }));
        Assert.Contains("lenght", unknown.Message);
        Assert.Contains("length", unknown.Message);

        var bad = Assert.Throws<ArgumentException>(() => TaskCatalog.Create("copy", new Dictionary<string, string> { ["symbols"] = "many" }));
        Assert.Contains("'symbols'", bad.Message);
    }

    [Fact]
    public void OfflineAndNotCachedSaysWhereToPutTheFile()
    {
        var locator = new DatasetLocator(Path.Combine(_dir, "empty"), Path.Combine(_dir, "cache"), _ => throw new HttpRequestException("no network"));

        var error = Assert.Throws<FileNotFoundException>(() => locator.Locate(KnownDatasets.JsbChorales));

        Assert.Contains("jsb-chorales-quarter.json", error.Message);
        Assert.Contains(DatasetLocator.DataDirectoryVariable, error.Message);
        Assert.Contains(Path.Combine(_dir, "cache"), error.Message);
    }

    [Fact]
    public void DownloadsAreVerifiedAndCachedOnce()
    {
        var bytes = "hello"u8.ToArray();
        var dataset = new DatasetInfo("greeting", "greeting.txt", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", new Uri("https://example.invalid/greeting"));
        var downloads = 0;
        var locator = new DatasetLocator(null, _dir, _ => { downloads++; return new MemoryStream(bytes); });

        var first = locator.Locate(dataset);
        var second = locator.Locate(dataset);

        Assert.Equal(first, second);
        Assert.Equal(1, downloads);
        Assert.Equal(bytes, File.ReadAllBytes(first));

        var wrong = dataset with { FileName = "other.txt", Sha256 = new string('0', 64) };
        var error = Assert.Throws<InvalidDataException>(() => locator.Locate(wrong));
        Assert.Contains("SHA-256", error.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "other.txt")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
