using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RnnLab.Storage;

namespace RnnLab.Server.Telemetry;

/// <summary>Traces, metrics and logs in one place: RnnLab's and Orleans' sources and meters, ASP.NET Core and EF Core.</summary>
public static class TelemetryExtensions
{
    /// <summary>The activity source and meter name RnnLab's own instrumentation uses.</summary>
    public const string RnnLabSource = "RnnLab";

    public static IHostApplicationBuilder AddRnnLabTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddSingleton<RnnLabMetrics>();
        builder.Services.AddHostedService<MetricsPoller>();
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("rnnlab", serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(RnnLabSource, StorageTelemetry.SourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(options => options.RecordException = false)
                .AddEntityFrameworkCoreInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(RnnLabSource, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());

        // Exporting over OTLP only when a collector is named keeps a laptop run free of connection errors.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}
