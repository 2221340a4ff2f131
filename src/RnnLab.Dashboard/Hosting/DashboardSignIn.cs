using System.Globalization;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.DataProtection;
using RnnLab.Contracts.V1;

namespace RnnLab.Dashboard.Hosting;

/// <summary>
/// The dashboard's own sign-in. The dashboard calls the API with its configured key, so without a gate anyone who
/// reaches it would read what the API refuses to anonymous callers. When sign-in is on (<c>Dashboard:SignIn</c>, or by
/// default whenever the API refuses anonymous reads), a visitor must first present an API key that the API itself
/// accepts; the dashboard then remembers the sign-in in an encrypted, HTTP-only cookie for <see cref="Lifetime"/>.
/// </summary>
internal sealed class DashboardSignIn(SweepApi api, IDataProtectionProvider protection, DashboardOptions options, ILogger<DashboardSignIn> logger)
{
    public const string Path = "/signin";
    private const string CookieName = "rnnlab-signin";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly IDataProtector _protector = protection.CreateProtector("RnnLab.Dashboard.SignIn");
    private readonly SemaphoreSlim _probing = new(1, 1);
    private bool? _required = options.SignIn;

    /// <summary>Whether visitors must sign in: as configured, else whether the API refuses a call without a key.</summary>
    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken)
    {
        if (_required is { } known)
        {
            return known;
        }

        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_required is null)
            {
                _required = await AcceptsAsync(null, cancellationToken) is false;
                logger.LogInformation("The API {Answer} anonymous reads: dashboard sign-in is {State}",
                    _required.Value ? "refuses" : "allows", _required.Value ? "on" : "off");
            }

            return _required.Value;
        }
        catch (RpcException)
        {
            // The server is unreachable: ask again on the next request, and keep the gate closed meanwhile.
            return true;
        }
        finally
        {
            _probing.Release();
        }
    }

    public bool IsSignedIn(HttpContext http)
    {
        if (http.Request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return false;
        }

        try
        {
            var expires = long.Parse(_protector.Unprotect(cookie), CultureInfo.InvariantCulture);
            return DateTime.UtcNow.Ticks < expires;
        }
        catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return false;
        }
    }

    /// <summary>True when the API accepts <paramref name="key"/> (null: no key) for a read; false when it refuses it.</summary>
    public async Task<bool?> AcceptsAsync(string? key, CancellationToken cancellationToken)
    {
        var headers = new Metadata();
        if (key is not null)
        {
            headers.Add("authorization", "Bearer " + key);
        }

        try
        {
            await api.Client.ListSweepsAsync(new ListSweepsRequest { PageSize = 1 }, headers, cancellationToken: cancellationToken);
            return true;
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
        {
            return false;
        }
    }

    public void SignIn(HttpContext http) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(DateTime.UtcNow.Add(Lifetime).Ticks.ToString(CultureInfo.InvariantCulture)),
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                MaxAge = Lifetime,
                Path = "/",
            });

    public static string Form(string returnUrl, string? error) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign in · RnnLab</title>
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}input{width:100%;padding:.4rem;margin:.4rem 0}p.error{color:#b00020}</style></head>
        <body><h1>RnnLab</h1><p>This server needs an API key to read sweeps. A read key is enough.</p>
        {{(error is null ? "" : $"<p class=\"error\">{WebUtility.HtmlEncode(error)}</p>")}}
        <form method="post" action="{{Path}}"><input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
        <label>API key <input type="password" name="key" autocomplete="current-password" autofocus></label>
        <button type="submit">Sign in</button></form></body></html>
        """;
}

internal static class DashboardSignInEndpoints
{
    /// <summary>Sends visitors who have not signed in to the sign-in page (pages) or answers 401 (everything else).</summary>
    public static void UseDashboardSignIn(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var signIn = http.RequestServices.GetRequiredService<DashboardSignIn>();
            // In the all-in-one host the API shares this pipeline: its gRPC and HTTP/JSON calls carry their own keys,
            // and metrics and health probes are no dashboard content.
            if (http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true ||
                http.GetEndpoint()?.Metadata.Any(m => m.GetType().Name == "GrpcMethodMetadata") == true ||
                http.Request.Path.StartsWithSegments("/metrics") || http.Request.Path.StartsWithSegments("/health") ||
                http.Request.Path.StartsWithSegments(DashboardSignIn.Path) ||
                !await signIn.IsRequiredAsync(http.RequestAborted) || signIn.IsSignedIn(http))
            {
                await next(http);
                return;
            }

            if (HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal))
            {
                http.Response.Redirect($"{DashboardSignIn.Path}?returnUrl={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}");
                return;
            }

            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        });
        app.MapGet(DashboardSignIn.Path, (string? returnUrl) => Results.Content(DashboardSignIn.Form(LocalOnly(returnUrl), null), "text/html"));
        app.MapPost(DashboardSignIn.Path, async (HttpContext http, DashboardSignIn signIn) =>
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var returnUrl = LocalOnly(form["returnUrl"]);
            var key = form["key"].ToString().Trim();
            if (key.Length == 0 || await signIn.AcceptsAsync(key, http.RequestAborted) is not true)
            {
                // The key is never echoed or logged.
                return Results.Content(DashboardSignIn.Form(returnUrl, "The server does not accept that key."), "text/html", statusCode: StatusCodes.Status401Unauthorized);
            }

            signIn.SignIn(http);
            return Results.Redirect(returnUrl);
        }).DisableAntiforgery();
    }

    // Only paths on this site: a sign-in must not bounce a visitor to another one.
    private static string LocalOnly(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
