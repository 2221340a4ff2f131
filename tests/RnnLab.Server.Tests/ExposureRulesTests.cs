using Microsoft.Extensions.Configuration;
using RnnLab.Server.Grpc;
using RnnLab.Server.Hosting;
using RnnLab.Server.Security;

namespace RnnLab.Server.Tests;

public sealed class ExposureRulesTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static ApiSecurityOptions Api(IConfiguration configuration) =>
        configuration.GetSection("Api").Get<ApiSecurityOptions>() ?? new ApiSecurityOptions();

    [Theory]
    [InlineData("http://0.0.0.0:5180")]
    [InlineData("http://*:5180")]
    [InlineData("http://+:5180")]
    [InlineData("http://[::]:5180")]
    [InlineData("http://10.1.2.3:5180")]
    [InlineData("http://rnnlab.example:5180")]
    public void A_keyless_server_listening_beyond_loopback_refuses_to_start(string url)
    {
        var configuration = Configuration(("Kestrel:Endpoints:Grpc:Url", url));

        var error = Assert.Throws<InvalidOperationException>(() => ExposureRules.Check(configuration, Api(configuration)));

        Assert.Contains("Api:AllowAnonymous=true", error.Message);
        Assert.Contains(url, error.Message);
    }

    [Fact]
    public void Keys_loopback_or_an_explicit_opt_in_let_it_start()
    {
        var keyed = Configuration(("Kestrel:Endpoints:Grpc:Url", "http://0.0.0.0:5180"), ("Api:Keys:0", "k-123"));
        var loopback = Configuration(("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:5180"), ("urls", "http://localhost:5181;http://[::1]:5182"));
        var optIn = Configuration(("urls", "http://0.0.0.0:5180"), ("Api:AllowAnonymous", "true"));

        Assert.Empty(ExposureRules.Check(keyed, Api(keyed)));
        Assert.Empty(ExposureRules.Check(loopback, Api(loopback)));
        Assert.Equal(["http://0.0.0.0:5180"], ExposureRules.Check(optIn, Api(optIn)));
    }

    [Fact]
    public void A_blank_configured_key_refuses_to_start_naming_it()
    {
        var configuration = Configuration(("Api:Keys:0", "k-123"), ("Api:ReadKeys:0", " "));

        var error = Assert.Throws<InvalidOperationException>(() => ExposureRules.Check(configuration, Api(configuration)));

        Assert.StartsWith("Api:ReadKeys:0 is empty", error.Message);
    }

    [Fact]
    public async Task A_server_with_a_blank_key_does_not_start()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => LocalServer.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"blank-{Guid.NewGuid():N}.db")}",
            ["Api:Keys:0"] = "",
        }));
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("+1", "'+1")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("lstm", "lstm")]
    [InlineData("", "")]
    public void Csv_text_that_a_spreadsheet_would_run_is_neutralised(string text, string expected)
    {
        Assert.Equal(expected, CsvExport.Safe(text));
    }
}
