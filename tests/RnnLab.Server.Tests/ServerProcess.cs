using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RnnLab.Server.Tests;

/// <summary>The built <c>rnnlab-server</c> as a separate OS process, as a container or a service unit starts it.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int grpcPort, int webPort)
    {
        _process = process;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        WebAddress = new Uri($"http://127.0.0.1:{webPort}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri GrpcAddress { get; }

    public Uri WebAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet rnnlab-server.dll</c> from <paramref name="workingDirectory"/> with loopback ports that are free,
    /// so only the endpoints' URLs and the silo ports come from the environment; everything else from its settings.
    /// </summary>
    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        int grpcPort = FreePort(), webPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rnnlab-server.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RNNLAB_", StringComparison.Ordinal) && k != "RNNLAB_DATA_DIR").ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["RNNLAB_KESTREL__ENDPOINTS__GRPC__URL"] = $"http://127.0.0.1:{grpcPort}";
        start.Environment["RNNLAB_KESTREL__ENDPOINTS__WEB__URL"] = $"http://127.0.0.1:{webPort}";
        start.Environment["RNNLAB_CLUSTER__SILOPORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RNNLAB_CLUSTER__GATEWAYPORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServerProcess(Process.Start(start)!, grpcPort, webPort);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200, or throws with the process's output.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = WebAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"rnnlab-server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A slow answer while the silo starts.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"rnnlab-server was not ready within {timeout}:\n{Output}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
