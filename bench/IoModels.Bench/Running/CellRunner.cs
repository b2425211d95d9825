using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace IoModels.Bench.Running;

/// <summary>
/// Runs one cell: a fresh server with <c>--port 0</c>, pinned as the placement says, whose listening line
/// it waits for; the load generator against it with <c>--server-pid</c>, <c>--json</c> and <c>--hgrm</c>;
/// then SIGTERM and a bounded wait. Every way this can go wrong ends as one <see cref="CellStatus"/>, so a
/// crash is pinned on its cell and the run goes on. The A/B verb calls it with another server per side.
/// </summary>
internal sealed class CellRunner
{
    public const string ReportSuffix = ".json";

    /// <summary>The server host's exit code for a bad option or a model that is not available (docs/server.md).</summary>
    private const int ServerRefusedOptionExitCode = 2;

    /// <summary>The exit code a shell gives a command it cannot run; here, a load generator that did not start.</summary>
    private const int CouldNotStart = 127;

    private readonly IReadOnlyList<string> _loadGenCommand;
    private readonly CellTimings _timings;

    /// <param name="loadGenCommand">The load generator's command (docs/loadgen.md options follow it).</param>
    public CellRunner(IReadOnlyList<string> loadGenCommand, CellTimings timings)
    {
        _loadGenCommand = loadGenCommand;
        _timings = timings;
    }

    /// <summary>
    /// Runs <paramref name="cell"/> against <paramref name="server"/> and writes <c>STEM.outcome.json</c>,
    /// <c>STEM.json</c>, <c>STEM.hgrm</c> and the processes' output beside it.
    /// </summary>
    public async Task<CellResult> RunAsync(CellPlan cell, ServerLaunch server, Placement placement, string fileStem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(placement);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(fileStem))!);
        var clock = Stopwatch.StartNew();
        var (status, detail, refused) = await RunProcessesAsync(cell, server, placement, fileStem, cancellationToken).ConfigureAwait(false);
        var outcome = cell.Outcome(status, detail, Math.Round(clock.Elapsed.TotalSeconds, 1)) with { Refused = refused };
        await File.WriteAllTextAsync(fileStem + BenchRun.OutcomeSuffix, JsonSerializer.Serialize(outcome, RunJsonContext.Default.CellOutcome), cancellationToken).ConfigureAwait(false);
        string reportPath = fileStem + ReportSuffix;
        var report = status.HasFigures() && File.Exists(reportPath) ? ReadReport(reportPath) : null;
        return new CellResult(outcome, report);
    }

    /// <summary>Records a cell whose server cannot run here, so the summary lists it once.</summary>
    public static async Task<CellResult> RecordAbsentAsync(CellPlan cell, ServerAbsence absence, string fileStem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(absence);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(fileStem))!);
        var outcome = cell.Outcome(absence.Status, absence.Detail, 0);
        await File.WriteAllTextAsync(fileStem + BenchRun.OutcomeSuffix, JsonSerializer.Serialize(outcome, RunJsonContext.Default.CellOutcome), cancellationToken).ConfigureAwait(false);
        return new CellResult(outcome, null);
    }

    /// <summary>
    /// A closed-loop probe of <paramref name="cell"/>'s load against a fresh server, for a rate sweep or an overload
    /// rate that needs a model's capacity: its messages per second, 0 when it echoed nothing. Its files are
    /// <c>STEM.probe.*</c>, with no outcome, so the run's cells do not list it.
    /// </summary>
    public async Task<CapacityMeasurement> MeasureCapacityAsync(CellPlan cell, ServerLaunch server, Placement placement, string fileStem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(placement);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(fileStem))!);
        var (serverProcess, target, failure, unavailable) = await StartServerAsync(cell, server, placement, null, fileStem + ".probe", cancellationToken).ConfigureAwait(false);
        if (serverProcess is null)
        {
            return new CapacityMeasurement(0, failure, unavailable);
        }

        using (serverProcess)
        {
            double capacity = await ProbeCapacityAsync(cell, placement, null, target!, serverProcess.Id, fileStem, cancellationToken).ConfigureAwait(false);
            await StopAsync(serverProcess, cancellationToken).ConfigureAwait(false);
            string log = $"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(fileStem)))}/{Path.GetFileName(fileStem)}.probe.loadgen.log";
            return new CapacityMeasurement(capacity, capacity > 0 ? "" : $"the closed-loop capacity probe echoed nothing (log: {log})", false);
        }
    }

    /// <summary>Starts the server and waits for its listening line: the process and its address, or why it did not start.</summary>
    private async Task<(ChildProcess? Process, string? Target, string Failure, bool Unavailable)> StartServerAsync(CellPlan cell, ServerLaunch server, Placement placement, NetworkNamespace? network, string serverStem, CancellationToken cancellationToken)
    {
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        ChildProcess serverProcess;
        try
        {
            serverProcess = ChildProcess.Start(
                Inside(network, placement.PinServer([.. server.Command, "--port", "0", .. cell.ServerArguments])),
                server.Environment,
                serverStem + ".server.out",
                serverStem + ".server.log",
                line =>
                {
                    // docs/server.md: "listening on ADDRESS:PORT", then more words if wanted.
                    if (line.StartsWith("listening on ", StringComparison.Ordinal) && line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, _, string address, ..])
                    {
                        listening.TrySetResult(address);
                    }
                });
        }
        catch (Win32Exception e)
        {
            return (null, null, $"could not run {server.Command[0]}: {e.Message}", false);
        }

        string? target = await WaitForListeningAsync(serverProcess, listening.Task, cancellationToken).ConfigureAwait(false);
        if (target is not null)
        {
            return (serverProcess, target, "", false);
        }

        using (serverProcess)
        {
            if (serverProcess.HasExited)
            {
                // A server that refuses (exit 2) an option the scenario gives it does not offer what the scenario
                // measures (a model without UDP, a peer without --close-after): the cell is absent, not failed.
                bool unavailable = serverProcess.ExitCode == ServerRefusedOptionExitCode && cell.ServerArguments.Count > 0;
                return (null, null, unavailable
                    ? $"the server refused the scenario's options ({string.Join(' ', cell.ServerArguments)}): {FirstLine(serverStem + ".server.log")}"
                    : $"exited with {serverProcess.ExitCode} before listening: {FirstLine(serverStem + ".server.log")}", unavailable);
            }

            await StopAsync(serverProcess, cancellationToken).ConfigureAwait(false);
            return (null, null, $"no 'listening on' line within {_timings.ListenTimeout.TotalSeconds:0} s", false);
        }
    }

    private async Task<CellVerdict> RunProcessesAsync(CellPlan cell, ServerLaunch server, Placement placement, string stem, CancellationToken cancellationToken)
    {
        string cellFolder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(stem)))!;
        string logName = $"{cellFolder}/{Path.GetFileName(stem)}";
        NetworkNamespace? network = null;
        if (cell.Scenario.Network is { } impairment)
        {
            var (made, problem) = await NetworkNamespace.CreateAsync(impairment, stem, cancellationToken).ConfigureAwait(false);
            if (made is null)
            {
                return (CellStatus.Skipped, problem);
            }

            network = made;
        }

        using (network)
        {
            return await RunServerAndLoadAsync(cell, server, placement, network, stem, logName, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CellVerdict> RunServerAndLoadAsync(CellPlan cell, ServerLaunch server, Placement placement, NetworkNamespace? network, string stem, string logName, CancellationToken cancellationToken)
    {
        var (serverProcess, target, failure, unavailable) = await StartServerAsync(cell, server, placement, network, stem, cancellationToken).ConfigureAwait(false);
        if (serverProcess is null || target is null)
        {
            return (unavailable ? CellStatus.NotAvailable : CellStatus.FailedToStart, failure);
        }

        using (serverProcess)
        {
            var loadgenArguments = new List<string>(cell.LoadGenArguments);
            if (cell.Scenario.Interval is string interval)
            {
                loadgenArguments.AddRange(["--interval", interval]);
            }

            if (cell.OfferedRate is long offered)
            {
                loadgenArguments.AddRange(["--rate", offered.ToString(CultureInfo.InvariantCulture)]);
            }
            else if (cell.Scenario.RateFractionOfCapacity is double fraction)
            {
                double capacity = cell.Capacity ?? await ProbeCapacityAsync(cell, placement, network, target, serverProcess.Id, stem, cancellationToken).ConfigureAwait(false);
                long rate = (long)(capacity * fraction);
                if (rate <= 0)
                {
                    await StopAsync(serverProcess, cancellationToken).ConfigureAwait(false);
                    return (CellStatus.LoadgenError, $"no capacity to set the open loop's rate from: the closed-loop probe echoed nothing (log: {logName}.probe.log)");
                }

                loadgenArguments.AddRange(["--rate", rate.ToString(CultureInfo.InvariantCulture)]);
            }

            var (exitCode, lastError) = await RunLoadGenAsync(placement, network, target, serverProcess.Id, $"{cell.Model}/{cell.CellName}", _timings.WarmupFor(cell.Scenario), _timings.DurationFor(cell.Scenario), stem, stem, loadgenArguments, cancellationToken).ConfigureAwait(false);
            if (serverProcess.HasExited)
            {
                return (CellStatus.Crashed, $"the server exited with {serverProcess.ExitCode} before SIGTERM (log: {logName}.server.log)");
            }

            bool stopped = await StopAsync(serverProcess, cancellationToken).ConfigureAwait(false);
            var judged = JudgeLoadGen(exitCode, lastError, stem + ReportSuffix, logName);
            var served = new CellVerdict(CellStatus.Ok, "");
            if (judged is { Item1: CellStatus.ServerError } && cell.Scenario.Overload && IsOverloadFinding(stem + ReportSuffix))
            {
                // A scenario whose claim is the overwhelmed server: its timeouts and failed connects are what it measures.
                judged = null;
                served = new CellVerdict(CellStatus.Overloaded, $"overwhelmed, as the scenario's claim says: {lastError}");
            }

            if (judged is { } failed)
            {
                // A model that refuses by design what it cannot watch: when its refusals explain every failure, the cell is that finding.
                if (failed.Item1 is not (CellStatus.Stalled or CellStatus.ServerError) || cell.DescriptorLimit is not int limit || !File.Exists(stem + ReportSuffix)
                    || ServerShutdownSummary.Read(stem + ".server.log") is not { } shutdown
                    || RefusalFinding.Explain(ReadReport(stem + ReportSuffix), shutdown, limit, cell.Scenario.Overload) is not string finding)
                {
                    return failed;
                }

                served = new CellVerdict(CellStatus.Refused, finding, shutdown.Refused);
            }

            if (!stopped)
            {
                return (CellStatus.StopTimeout, $"still running {_timings.StopTimeout.TotalSeconds:0} s after SIGTERM; killed");
            }

            return serverProcess.ExitCode == 0
                ? served
                : (CellStatus.ServerError, $"exited with {serverProcess.ExitCode} after SIGTERM");
        }
    }

    /// <summary>
    /// The load generator's exit code as a status (its codes: 1 mismatch, 2 bad option, 3 unreachable,
    /// 4 no echo verified in the measured phase, 5 echoes timed out or connections reset); null when it served.
    /// </summary>
    private static (CellStatus, string)? JudgeLoadGen(int? exitCode, string lastError, string reportPath, string logName) => exitCode switch
    {
        null => (CellStatus.LoadgenError, $"the load generator did not finish in time; killed (log: {logName}.loadgen.log)"),
        1 => (CellStatus.Mismatch, $"the load generator found echoes that differ from what it sent (log: {logName}.loadgen.log)"),
        2 => (CellStatus.LoadgenError, $"the load generator refused its options: {lastError}"),
        3 => (CellStatus.FailedToStart, $"the server printed its listening line but refused the first connect: {lastError}"),
        4 => (CellStatus.Stalled, $"no echo completed in the measured phase (log: {logName}.loadgen.log)"),
        5 => (CellStatus.ServerError, $"the server served badly (echoes timed out, connections reset or refused): {lastError}"),
        not 0 => (CellStatus.LoadgenError, $"the load generator exited with {exitCode}: {lastError}"),
        _ when !File.Exists(reportPath) || new FileInfo(reportPath).Length == 0 => (CellStatus.LoadgenError, $"the load generator wrote no report (log: {logName}.loadgen.log)"),
        _ when ReadReport(reportPath).Messages == 0 => (CellStatus.Stalled, $"no echo completed in the measured phase (log: {logName}.loadgen.log)"),
        _ => null,
    };

    /// <summary>An overload finding has figures and no error a healthy server could not explain: echoes verified, none mismatched or reset.</summary>
    private static bool IsOverloadFinding(string reportPath) =>
        File.Exists(reportPath) && ReadReport(reportPath) is { Messages: > 0, Mismatches: 0, Resets: 0, OtherErrors: 0 };

    private async Task<string?> WaitForListeningAsync(ChildProcess server, Task<string> listening, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = server.WaitForExitAsync(_timings.ListenTimeout, stop.Token);
        var first = await Task.WhenAny(listening, exited).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == listening ? await listening.ConfigureAwait(false) : null;
    }

    private async Task<double> ProbeCapacityAsync(CellPlan cell, Placement placement, NetworkNamespace? network, string target, int serverPid, string stem, CancellationToken cancellationToken)
    {
        string probe = stem + ".probe";
        var (exitCode, _) = await RunLoadGenAsync(placement, network, target, serverPid, $"{cell.Model}/capacity-probe", _timings.WarmupFor(cell.Scenario), _timings.OpenLoopProbe, probe, probe, cell.LoadGenArguments, cancellationToken).ConfigureAwait(false);
        return exitCode == 0 && File.Exists(probe + ReportSuffix) ? ReadReport(probe + ReportSuffix).MessagesPerSecond : 0;
    }

    /// <summary>Runs the load generator to its end; the exit code, or null when it overran its time and was killed.</summary>
    private async Task<(int? ExitCode, string LastError)> RunLoadGenAsync(Placement placement, NetworkNamespace? network, string target, int serverPid, string label, string warmup, string duration, string reportStem, string logStem, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        List<string> command =
        [
            .. _loadGenCommand, "--target", target, "--server-pid", serverPid.ToString(CultureInfo.InvariantCulture),
            "--warmup", warmup, "--duration", duration, .. FramingUnlessGiven(arguments), "--progress", "false",
            "--label", label, "--json", reportStem + ReportSuffix, "--hgrm", reportStem + ".hgrm", .. arguments,
        ];
        string errorLog = logStem + ".loadgen.err";
        ChildProcess started;
        try
        {
            started = ChildProcess.Start(Inside(network, placement.PinLoadGen(command)), new Dictionary<string, string>(), logStem + ".loadgen.log", errorLog);
        }
        catch (Win32Exception e)
        {
            return (CouldNotStart, $"could not run {command[0]}: {e.Message}");
        }

        using var loadgen = started;
        if (!await loadgen.WaitForExitAsync(_timings.LoadGenTimeout(warmup, duration), cancellationToken).ConfigureAwait(false))
        {
            loadgen.Kill();
            return (null, "");
        }

        return (loadgen.ExitCode, LastLine(errorLog));
    }

    /// <summary>SIGTERM, then up to the stop timeout; false when the server had to be killed.</summary>
    private async Task<bool> StopAsync(ChildProcess server, CancellationToken cancellationToken)
    {
        await server.TerminateAsync(cancellationToken).ConfigureAwait(false);
        if (await server.WaitForExitAsync(_timings.StopTimeout, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        server.Kill();
        await server.WaitForExitAsync(_timings.StopTimeout, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Framed messages unless the cell chooses its framing (the <c>framing</c> scenario's variants): the load generator
    /// refuses an option given twice.
    /// </summary>
    private static string[] FramingUnlessGiven(IReadOnlyList<string> arguments) =>
        arguments.Contains("--framing", StringComparer.Ordinal) ? [] : ["--framing", "framed"];

    private static IReadOnlyList<string> Inside(NetworkNamespace? network, IReadOnlyList<string> command) => network?.Enter(command) ?? command;

    private static LoadReport ReadReport(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return LoadReport.Parse(document.RootElement);
        }
        catch (JsonException)
        {
            return new LoadReport();
        }
    }

    private static string FirstLine(string path) =>
        File.Exists(path) ? File.ReadLines(path).FirstOrDefault(line => line.Trim().Length > 0) ?? "" : "";

    private static string LastLine(string path) =>
        File.Exists(path) ? File.ReadLines(path).LastOrDefault(line => line.Trim().Length > 0) ?? "" : "";
}
