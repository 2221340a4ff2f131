using System.Text;
using Grpc.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class DatasetTests(ServerFixture fixture)
{
    private static byte[] Text(string tag) => Encoding.UTF8.GetBytes($"to be or not to be {tag}\n");

    [Fact]
    public async Task An_upload_is_listed_by_name_and_hash_and_the_same_upload_again_is_the_same_dataset()
    {
        var name = $"corpus-{Guid.NewGuid():N}"[..20];
        var first = await DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name), chunk: 7);
        var again = await DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name));

        Assert.Equal(first.Sha256, again.Sha256);
        Assert.Equal("sha256:" + first.Sha256, first.Reference);
        Assert.Equal(Text(name).Length, first.Size);
        var listed = (await fixture.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets;
        Assert.Single(listed, d => d.Name == name && d.Sha256 == first.Sha256 && d.Format == "text");
    }

    [Fact]
    public async Task A_name_that_holds_other_bytes_is_already_exists()
    {
        var name = $"taken-{Guid.NewGuid():N}"[..20];
        await DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text("one" + name));

        var error = await GrpcAssert.FailsAsync(StatusCode.AlreadyExists,
            () => DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text("two" + name)));

        Assert.Contains(name, error.Status.Detail);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_declared_hash_or_size_are_refused_and_nothing_is_stored()
    {
        var name = $"bad-{Guid.NewGuid():N}"[..20];
        var wrongHash = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name), declaredSha: new string('0', 64)));
        var tooMany = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name), declaredSize: 3));
        var tooLarge = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name), declaredSize: 1L << 40));
        var badHeader = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => DatasetUploads.UploadAsync(fixture.Datasets, "../etc", "binary", Text(name), declaredSha: "xyz"));

        Assert.Equal("header.sha256", Assert.Single(GrpcAssert.Violations(wrongHash)).Field);
        Assert.Equal("header.size", Assert.Single(GrpcAssert.Violations(tooMany)).Field);
        Assert.Contains("Data:MaxBytes", Assert.Single(GrpcAssert.Violations(tooLarge)).Description);
        Assert.Equal(["header.name", "header.format", "header.sha256"], GrpcAssert.Violations(badHeader).Select(v => v.Field));
        Assert.DoesNotContain((await fixture.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets, d => d.Name == name);
    }

    [Fact]
    public async Task A_spec_naming_an_unknown_dataset_is_refused_and_a_known_one_accepted()
    {
        var name = $"spec-{Guid.NewGuid():N}"[..20];
        var dataset = await DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name));
        string Spec(string task) => Specs.Quadratic("datasets").Replace("name: quadratic", $"name: '{task}'");

        await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Spec(dataset.Reference), ValidateOnly = true });
        await fixture.Client.SubmitSweepAsync(new SubmitSweepRequest { SpecYaml = Spec("dataset:" + name), ValidateOnly = true });
        var unknown = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => fixture.Client.SubmitSweepAsync(
            new SubmitSweepRequest { SpecYaml = Spec("sha256:" + new string('a', 64)), ValidateOnly = true }).ResponseAsync);
        var malformed = await GrpcAssert.FailsAsync(StatusCode.InvalidArgument, () => fixture.Client.SubmitSweepAsync(
            new SubmitSweepRequest { SpecYaml = Spec("sha256:XYZ"), ValidateOnly = true }).ResponseAsync);

        Assert.Contains("no uploaded dataset", Assert.Single(GrpcAssert.Violations(unknown)).Description);
        Assert.Contains("64 lowercase hexadecimal digits", Assert.Single(GrpcAssert.Violations(malformed)).Description);
    }

    [Fact]
    public async Task A_removed_dataset_is_gone_and_removing_it_again_is_not_found()
    {
        var name = $"rm-{Guid.NewGuid():N}"[..20];
        var dataset = await DatasetUploads.UploadAsync(fixture.Datasets, name, "text", Text(name));

        await fixture.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { Reference = "dataset:" + name });

        await GrpcAssert.FailsAsync(StatusCode.NotFound,
            () => fixture.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { Reference = dataset.Reference }).ResponseAsync);
        await GrpcAssert.FailsAsync(StatusCode.InvalidArgument,
            () => fixture.Datasets.DeleteDatasetAsync(new DeleteDatasetRequest { Reference = "/etc/passwd" }).ResponseAsync);
    }

    [Fact]
    public async Task The_cli_uploads_the_local_file_a_spec_names_and_submits_the_spec_with_its_reference()
    {
        var folder = Directory.CreateTempSubdirectory("rnnlab-submit-").FullName;
        try
        {
            var tag = Guid.NewGuid().ToString("N");
            await File.WriteAllTextAsync(Path.Combine(folder, "corpus.txt"), $"a small corpus {tag}\n");
            var spec = Path.Combine(folder, "sweep.yaml");
            await File.WriteAllTextAsync(spec, Specs.Quadratic("cli-upload").Replace("name: quadratic", "name: corpus.txt"));
            var environment = new Dictionary<string, string> { ["RNNLAB_SERVER"] = fixture.Server.Address.ToString() };

            var submitted = await CliRunner.RunAsync(environment, "submit", spec, "--dry-run");
            var listed = await CliRunner.RunAsync(environment, "data", "ls", "--json");

            Assert.True(submitted.ExitCode == 0, submitted.ToString());
            Assert.Contains("uploaded the task's file as", submitted.Stdout);
            Assert.Contains("sha256:", submitted.Stdout);
            Assert.Contains((await fixture.Datasets.ListDatasetsAsync(new ListDatasetsRequest())).Datasets,
                d => d.Name.StartsWith("corpus-", StringComparison.Ordinal) && d.Size == Encoding.UTF8.GetByteCount($"a small corpus {tag}\n"));
            Assert.True(listed.ExitCode == 0, listed.ToString());
            Assert.Contains("corpus-", listed.Stdout);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
