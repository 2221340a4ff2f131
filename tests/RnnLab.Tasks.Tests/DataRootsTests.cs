using System.Diagnostics;
using RnnLab.Tasks.Data;

namespace RnnLab.Tasks.Tests;

/// <summary>Server paths from a spec: only regular files under a data root, after every link is followed.</summary>
public sealed class DataRootsTests : IDisposable
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), $"rnnlab-roots-{Guid.NewGuid():N}");
    private readonly string _root;
    private readonly string _outside;

    public DataRootsTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        File.WriteAllText(Path.Combine(_root, "corpus.txt"), "hello");
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "secret");
    }

    private DataOptions Options(long maxBytes = 1024) => new() { Roots = [_root], MaxBytes = maxBytes };

    [Fact]
    public void A_regular_file_under_a_root_is_allowed_by_absolute_or_relative_path()
    {
        Assert.Equal(Path.Combine(_root, "corpus.txt"), DataRoots.Resolve(Path.Combine(_root, "corpus.txt"), Options()));
        Assert.Equal(Path.Combine(_root, "corpus.txt"), DataRoots.Resolve("corpus.txt", Options()));
    }

    [Fact]
    public void With_no_roots_every_server_path_is_refused_and_the_message_says_how_to_upload()
    {
        var error = Assert.Throws<DataAccessException>(() => DataRoots.Resolve(Path.Combine(_root, "corpus.txt"), new DataOptions()));

        Assert.Contains("rnnlab data push", error.Message);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("../outside/secret.txt")]
    [InlineData("sub/../../outside/secret.txt")]
    public void Paths_outside_the_roots_are_refused(string path)
    {
        var error = Assert.Throws<DataAccessException>(() => DataRoots.Resolve(path, Options()));

        Assert.Contains("not a file under a data root", error.Message);
    }

    [Fact]
    public void A_symbolic_link_that_leaves_the_root_is_refused_and_one_inside_is_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape.txt"), Path.Combine(_outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outside);
        File.CreateSymbolicLink(Path.Combine(_root, "alias.txt"), "corpus.txt");

        Assert.Throws<DataAccessException>(() => DataRoots.Resolve("escape.txt", Options()));
        Assert.Throws<DataAccessException>(() => DataRoots.Resolve("out/secret.txt", Options()));
        Assert.Equal(Path.Combine(_root, "corpus.txt"), DataRoots.Resolve("alias.txt", Options()));
    }

    [Fact]
    public void A_device_reached_through_a_link_in_a_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "zero"), "/dev/zero");

        Assert.Throws<DataAccessException>(() => DataRoots.Resolve("zero", Options()));
        Assert.Throws<DataAccessException>(() => DataRoots.Resolve("/dev/zero", new DataOptions { Roots = ["/dev"] }));
    }

    [Fact]
    public void A_directory_and_a_fifo_under_a_root_are_not_regular_files()
    {
        Directory.CreateDirectory(Path.Combine(_root, "folder"));
        using (var mkfifo = Process.Start("mkfifo", Path.Combine(_root, "pipe")))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Contains("not a regular file", Assert.Throws<DataAccessException>(() => DataRoots.Resolve("folder", Options())).Message);
        Assert.Contains("not a regular file", Assert.Throws<DataAccessException>(() => DataRoots.Resolve("pipe", Options())).Message);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_with_both_sizes()
    {
        var error = Assert.Throws<DataAccessException>(() => DataRoots.Resolve("corpus.txt", Options(maxBytes: 4)));

        Assert.Contains("is 5 bytes; the limit (Data:MaxBytes) is 4", error.Message);
    }

    [Fact]
    public void The_embedded_run_reads_local_paths_as_they_are()
    {
        Assert.Equal("/etc/hostname", DataRoots.Resolve("/etc/hostname", new DataOptions { AllowLocalPaths = true }));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);
}
