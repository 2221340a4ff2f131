using RnnLab.Dashboard.Hosting;

namespace RnnLab.Dashboard.Tests.Aggregation;

public class HostingTests
{
    [Fact]
    public void Server_and_api_key_flags_map_to_configuration_keys()
    {
        Assert.Equal(["--Dashboard:Server", "http://h:1", "--Dashboard:ApiKey", "k", "--urls", "http://0.0.0.0:5190"],
            DashboardProgram.Translate(["--server", "http://h:1", "--api-key", "k", "--urls", "http://0.0.0.0:5190"]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ftp://h:1")]
    public void A_missing_or_odd_server_address_is_a_clear_error(string? server)
    {
        var options = new DashboardOptions { Server = server is null ? null : new Uri(server) };
        var exception = Assert.Throws<InvalidOperationException>(options.Validate);
        Assert.Contains("--server", exception.Message);
    }
}
