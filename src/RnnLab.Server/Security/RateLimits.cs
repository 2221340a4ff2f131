using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace RnnLab.Server.Security;

/// <summary>
/// Bounds the expensive reads per caller (the API key, or the address of an anonymous caller): analysis, export and
/// text generation share a token bucket, and each caller may hold only so many watch streams open at once.
/// Configured under "Api:RateLimits".
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Api:RateLimits";

    /// <summary>The policy on AnalyzeSweep, ExportSweep, GenerateText, Translate and GetSweepReport.</summary>
    public const string ExpensivePolicy = "expensive";

    /// <summary>The policy on WatchSweep.</summary>
    public const string WatchPolicy = "watch";

    /// <summary>Expensive calls per caller per minute (bucket size and refill).</summary>
    public int ExpensivePerMinute { get; set; } = 120;

    /// <summary>Watch streams one caller may hold open at once.</summary>
    public int WatchStreams { get; set; } = 64;
}

internal static class RateLimitExtensions
{
    public static IServiceCollection AddRnnLabRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (limits.ExpensivePerMinute < 1 || limits.WatchStreams < 1)
        {
            throw new InvalidOperationException($"{RateLimitOptions.Section}: ExpensivePerMinute and WatchStreams must be at least 1");
        }

        return services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimitOptions.ExpensivePolicy, context => RateLimitPartition.GetTokenBucketLimiter(Caller(context), _ =>
                new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.ExpensivePerMinute,
                    TokensPerPeriod = limits.ExpensivePerMinute,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
            options.AddPolicy(RateLimitOptions.WatchPolicy, context => RateLimitPartition.GetConcurrencyLimiter(Caller(context), _ =>
                new ConcurrencyLimiterOptions { PermitLimit = limits.WatchStreams, QueueLimit = 0 }));
            options.OnRejected = (context, _) =>
            {
                // A gRPC client reads the status from the trailers-only response, not the HTTP code.
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/grpc";
                response.Headers["grpc-status"] = ((int)global::Grpc.Core.StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
                response.Headers["grpc-message"] = Uri.EscapeDataString("too many expensive calls or open watch streams from this caller; try again later");
                return ValueTask.CompletedTask;
            };
        });
    }

    /// <summary>The caller's key (hashed: keys never sit in memory as partition names) or, without one, its address.</summary>
    private static string Caller(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        return authorization.Length > 0
            ? "key:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)))[..16]
            : "ip:" + context.Connection.RemoteIpAddress;
    }
}
