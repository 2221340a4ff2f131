using System.Security.Cryptography;
using System.Text;

namespace RnnLab.Storage.Tests;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_dataset_is_found_by_hash_and_name_with_its_bytes_and_removed_once()
    {
        var name = "d-" + Guid.NewGuid().ToString("N")[..12];
        var bytes = Encoding.UTF8.GetBytes("a corpus " + name);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var stored = await Stores.Datasets.PutAsync(name, "text", bytes);
        var again = await Stores.Datasets.PutAsync(name, "text", bytes);

        Assert.Equal((sha, name, "text", (long)bytes.Length), (stored.Sha256, stored.Name, stored.Format, stored.Size));
        Assert.Equal(stored, again);
        Assert.Equal(stored, await Stores.Datasets.FindAsync("sha256:" + sha));
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
        Assert.Equal(sha, (await Stores.Datasets.FindAsync("dataset:" + name))?.Sha256);
        Assert.Null(await Stores.Datasets.FindAsync(name));
        Assert.Equal(bytes, await Stores.Datasets.GetBytesAsync(sha));
        Assert.Contains(await Stores.Datasets.ListAsync(), d => d.Sha256 == sha);

        Assert.True(await Stores.Datasets.DeleteAsync("dataset:" + name));
        Assert.False(await Stores.Datasets.DeleteAsync("sha256:" + sha));
        Assert.Null(await Stores.Datasets.GetBytesAsync(sha));
    }

    [Fact]
    public async Task A_dataset_name_or_content_stored_differently_is_a_conflict_and_bad_names_are_refused()
    {
        var name = "c-" + Guid.NewGuid().ToString("N")[..12];
        await Stores.Datasets.PutAsync(name, "text", Encoding.UTF8.GetBytes("one " + name));

        await Assert.ThrowsAsync<DatasetConflictException>(() => Stores.Datasets.PutAsync(name, "text", Encoding.UTF8.GetBytes("two " + name)));
        await Assert.ThrowsAsync<DatasetConflictException>(() => Stores.Datasets.PutAsync(name + "-x", "text", Encoding.UTF8.GetBytes("one " + name)));
        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Datasets.PutAsync("../x", "text", [1]));
        await Assert.ThrowsAsync<ArgumentException>(() => Stores.Datasets.PutAsync("ok", "binary", [1]));
    }
}
