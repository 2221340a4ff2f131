using System.Net;
using RnnLab.Server.Hosting;
using RnnLab.Storage.Tests;

namespace RnnLab.Dashboard.Tests.EndToEnd;

/// <summary>A dashboard in front of a server that refuses anonymous reads shows nothing until a visitor signs in.</summary>
public sealed class SignInTests
{
    private const string ReadKey = "read-2f9c1e7a4b";

    [Fact]
    public async Task Visitors_sign_in_with_a_key_the_api_accepts_before_they_see_anything()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("rnnlab_signin");
        try
        {
            await using var server = await LocalServer.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "Postgres",
                ["Storage:ConnectionString"] = connectionString,
                ["Api:Keys:0"] = "full-7a1b2c3d4e",
                ["Api:ReadKeys:0"] = ReadKey,
                ["Api:AllowAnonymousReads"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await using var dashboard = await DashboardHost.StartAsync(server.Address, ReadKey);
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            {
                BaseAddress = dashboard.Address,
            };
            http.DefaultRequestHeaders.Accept.ParseAdd("text/html");

            var page = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/signin", page.Headers.Location!.OriginalString);
            var export = await http.GetAsync("/sweeps/00000000-0000-0000-0000-000000000000/export.csv?table=trials");
            Assert.Equal(HttpStatusCode.Redirect, export.StatusCode);

            var wrong = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "guess", ["returnUrl"] = "/" }));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.DoesNotContain("guess", await wrong.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/")).StatusCode);

            var right = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ReadKey, ["returnUrl"] = "https://elsewhere.example/" }));
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
            Assert.Equal("/", right.Headers.Location!.OriginalString);
            var signedIn = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.Contains("<html", await signedIn.Content.ReadAsStringAsync());
        }
        finally
        {
            await TestPostgres.DropDatabaseAsync(connectionString);
        }
    }
}
