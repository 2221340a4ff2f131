using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RnnLab.Contracts.V1;

namespace RnnLab.Server.Tests;

/// <summary>A keyed server that also listens on an HTTP/1.1 port, where the HTTP/JSON API answers.</summary>
public sealed class HttpApiFixture : ServerFixture
{
    public const string WriteKey = "http-write-5e8a1f";
    public const string ReadKey = "http-read-93c2d7";

    private ListenOptions? _http;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Api:Keys:0"] = WriteKey,
        ["Api:ReadKeys:0"] = ReadKey,
        ["Api:AllowAnonymousReads"] = "true",
    };

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            _http = listen;
        }));

    /// <summary>An HTTP/1.1 client of the server, sending <paramref name="key"/> as its bearer token when given.</summary>
    public HttpClient Http(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_http!.IPEndPoint!.Port}") };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }
}

public sealed class HttpApiTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private static object Submit(string name, int trials = 3, int epochs = 2, int delayMs = 0) =>
        new { specYaml = Specs.Quadratic(name, trials: trials, epochs: epochs, delayMs: delayMs) };

    [Fact]
    public async Task A_sweep_submitted_over_http_runs_and_reads_back_as_json()
    {
        using var http = fixture.Http(HttpApiFixture.WriteKey);
        using var submitted = await http.PostAsJsonAsync("/v1/sweeps", Submit("http-lifecycle"));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var body = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!;
        Assert.True(body["created"]!.GetValue<bool>());
        var id = body["sweep"]!["id"]!.GetValue<string>();

        // The same sweep is visible over gRPC: one API, two encodings.
        Assert.Equal("http-lifecycle", (await fixture.Client.GetSweepAsync(new GetSweepRequest { SweepId = id })).Name);

        // The event stream (server streaming) ends with the sweep: a snapshot, then numbered events without gaps.
        var items = await ReadStreamAsync(http, $"/v1/sweeps/{id}/events");
        Assert.Equal(id, items[0]["snapshot"]!["sweep"]!["id"]!.GetValue<string>());
        var sequences = items.Skip(1).Select(i => i["event"]!["sequence"]!.GetValue<long>()).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        Assert.Equal("sweep-finished", items[^1]["event"]!["kind"]!.GetValue<string>());

        var sweep = JsonNode.Parse(await http.GetStringAsync($"/v1/sweeps/{id}"))!;
        Assert.Equal("SWEEP_STATE_COMPLETED", sweep["state"]!.GetValue<string>());
        Assert.Equal(3, sweep["trials"]!["completed"]!.GetValue<int>());

        var trials = JsonNode.Parse(await http.GetStringAsync($"/v1/sweeps/{id}/trials?orderBy=objective&pageSize=2"))!;
        Assert.Equal(3, trials["total"]!.GetValue<int>());
        var page = trials["trials"]!.AsArray();
        Assert.Equal(2, page.Count);
        Assert.True(page[0]!["objective"]!.GetValue<double>() <= page[1]!["objective"]!.GetValue<double>());
        Assert.Equal(sweep["bestObjective"]!.GetValue<double>(), page[0]!["objective"]!.GetValue<double>());
        var next = trials["nextPageToken"]!.GetValue<string>();
        var rest = JsonNode.Parse(await http.GetStringAsync($"/v1/sweeps/{id}/trials?orderBy=objective&pageSize=2&pageToken={Uri.EscapeDataString(next)}"))!;
        Assert.Single(rest["trials"]!.AsArray());

        var trialId = page[0]!["id"]!.GetValue<string>();
        var metrics = JsonNode.Parse(await http.GetStringAsync($"/v1/trials/{trialId}/metrics?names=objective"))!;
        Assert.Equal([1, 2], metrics["points"]!.AsArray().Select(p => p!["epoch"]!.GetValue<int>()));

        var analysis = JsonNode.Parse(await http.GetStringAsync($"/v1/sweeps/{id}/analysis?top=2"))!;
        Assert.Equal(3, analysis["finishedTrials"]!.GetValue<int>());
        Assert.Equal(trialId, analysis["leaderboard"]![0]!["id"]!.GetValue<string>());

        var charts = JsonNode.Parse(await http.GetStringAsync($"/v1/sweeps/{id}/charts"))!;
        Assert.Equal(3, charts["curves"]!.AsArray().Count);
        Assert.Equal([1, 2], charts["curves"]![0]!["epochs"]!.AsArray().Select(e => e!.GetValue<int>()));
        Assert.Equal(3, charts["parallel"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Errors_are_json_statuses_with_the_http_code_and_the_field_paths()
    {
        using var http = fixture.Http(HttpApiFixture.WriteKey);
        var invalid = Specs.Quadratic("http-invalid").Replace("loguniform: [0.01, 1.0]", "loguniform: [0.0, 1.0]", StringComparison.Ordinal);
        using var rejected = await http.PostAsJsonAsync("/v1/sweeps", new { specYaml = invalid });
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        var status = JsonNode.Parse(await rejected.Content.ReadAsStringAsync())!;
        Assert.Equal(3, status["code"]!.GetValue<int>());
        var detail = status["details"]!.AsArray().Single()!;
        Assert.Equal("type.googleapis.com/google.rpc.BadRequest", detail["@type"]!.GetValue<string>());
        Assert.Contains(detail["fieldViolations"]!.AsArray(), v => v!["field"]!.GetValue<string>() == "search.space.lr.loguniform[0]");

        using var malformed = await http.GetAsync("/v1/sweeps/not-an-id");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var missing = await http.GetAsync($"/v1/sweeps/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(5, JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_api_keys_guard_http_calls_as_they_guard_grpc_calls()
    {
        using var anonymous = fixture.Http();
        using var wrong = fixture.Http("not-a-key");
        using var reader = fixture.Http(HttpApiFixture.ReadKey);
        using var writer = fixture.Http(HttpApiFixture.WriteKey);

        using (var response = await anonymous.PostAsJsonAsync("/v1/sweeps", Submit("http-auth", trials: 1, epochs: 60, delayMs: 200)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await wrong.PostAsJsonAsync("/v1/sweeps", Submit("http-auth", trials: 1, epochs: 60, delayMs: 200)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await reader.PostAsJsonAsync("/v1/sweeps", Submit("http-auth", trials: 1, epochs: 60, delayMs: 200)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var created = await writer.PostAsJsonAsync("/v1/sweeps", Submit("http-auth", trials: 1, epochs: 60, delayMs: 200));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["sweep"]!["id"]!.GetValue<string>();

        // Reads stay open to anonymous callers (Api:AllowAnonymousReads), steering needs the full key.
        using (var response = await anonymous.GetAsync($"/v1/sweeps/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await reader.PostAsync($"/v1/sweeps/{id}:cancel", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Steering takes no body, as `curl -X POST` sends none.
        using var paused = await writer.PostAsync($"/v1/sweeps/{id}:pause", null);
        Assert.Equal("SWEEP_STATE_PAUSED", JsonNode.Parse(await paused.Content.ReadAsStringAsync())!["state"]!.GetValue<string>());
        using var cancelled = await writer.PostAsync($"/v1/sweeps/{id}:cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("SWEEP_STATE_CANCELLED", JsonNode.Parse(await cancelled.Content.ReadAsStringAsync())!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_description_names_every_route()
    {
        using var http = fixture.Http();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
                 {
                     "/v1/sweeps", "/v1/sweeps/{sweepId}", "/v1/sweeps/{sweepId}/trials", "/v1/sweeps/{sweepId}/analysis",
                     "/v1/sweeps/{sweepId}/events", "/v1/sweeps/{sweepId}:cancel", "/v1/trials/{trialId}/metrics",
                 })
        {
            Assert.Contains(path, paths);
        }
    }

    /// <summary>Reads a transcoded server stream to its end: one JSON message after another.</summary>
    private static async Task<List<JsonNode>> ReadStreamAsync(HttpClient http, string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var items = new List<JsonNode>();
        await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable<JsonNode>(stream, topLevelValues: true, cancellationToken: timeout.Token))
        {
            items.Add(item!);
        }

        return items;
    }

    [Fact]
    public async Task Datasets_are_listed_and_removed_over_http_with_a_full_key_only()
    {
        var name = $"http-{Guid.NewGuid():N}"[..20];
        var dataset = await DatasetUploads.UploadAsync(fixture.ClientWithKeyDatasets(HttpApiFixture.WriteKey), name, "text", System.Text.Encoding.UTF8.GetBytes(name));
        using var reader = fixture.Http(HttpApiFixture.ReadKey);
        using var writer = fixture.Http(HttpApiFixture.WriteKey);

        var listed = JsonNode.Parse(await reader.GetStringAsync("/v1/datasets"))!["datasets"]!.AsArray();
        Assert.Contains(listed, d => d!["name"]!.GetValue<string>() == name && d["reference"]!.GetValue<string>() == dataset.Reference);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/v1/datasets/{dataset.Reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.DeleteAsync($"/v1/datasets/{dataset.Reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await writer.DeleteAsync($"/v1/datasets/{dataset.Reference}")).StatusCode);
    }
}
