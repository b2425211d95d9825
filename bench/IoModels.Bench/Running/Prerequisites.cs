namespace IoModels.Bench.Running;

/// <summary>
/// Tools a clean Debian machine may lack: gcc for the C reference, a font for the charts' text (ScottPlot
/// draws with SkiaSharp's dependency-free Linux build, which reads fonts from /usr/share/fonts).
/// </summary>
internal static class Prerequisites
{
    /// <summary>
    /// For a run with a lossy-link scenario: installs nftables (and iproute2) when missing, as root. A machine where
    /// that fails still runs; those cells are then <c>skipped</c> with the reason, so nothing is returned.
    /// </summary>
    public static async Task EnsureNetworkToolsAsync(string logPath, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var missing = new[] { ("nft", "nftables"), ("ip", "iproute2") }.Where(tool => CommandOutput.FindOnPath(tool.Item1) is null).Select(tool => tool.Item2).ToList();
        if (missing.Count == 0 || Environment.UserName != "root" || CommandOutput.FindOnPath("apt-get") is null)
        {
            return;
        }

        log($"installing {string.Join(' ', missing)} for the lossy-link cells (apt-get)");
        var update = await RunAsync(["apt-get", "update", "-qq"], cancellationToken).ConfigureAwait(false);
        var install = await RunAsync(["apt-get", "install", "-y", "-qq", "--no-install-recommends", .. missing], cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(logPath, update?.StandardOutput + update?.StandardError + install?.StandardOutput + install?.StandardError, cancellationToken).ConfigureAwait(false);
        if (install is not { ExitCode: 0 })
        {
            log($"could not install {string.Join(' ', missing)} (log: {logPath}): the lossy-link cells will be skipped");
        }
    }

    /// <summary>Installs what is missing with apt-get (as root, or through sudo); null when all is there, else the problem.</summary>
    public static async Task<string?> EnsureAsync(string logPath, Action<string> log, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        if (CommandOutput.FindOnPath("gcc") is null)
        {
            missing.Add("gcc");
        }

        const string Fonts = "/usr/share/fonts/truetype/dejavu";
        if (!Directory.Exists(Fonts) || !Directory.EnumerateFiles(Fonts, "*.ttf").Any())
        {
            missing.Add("fonts-dejavu-core");
        }

        if (missing.Count == 0)
        {
            return null;
        }

        bool root = Environment.UserName == "root";
        if (CommandOutput.FindOnPath("apt-get") is null || (!root && CommandOutput.FindOnPath("sudo") is null))
        {
            return $"needs {string.Join(' ', missing)} (Debian: apt-get install {string.Join(' ', missing)})";
        }

        log($"installing {string.Join(' ', missing)} (apt-get)");
        string[] prefix = root ? [] : ["sudo"];
        var update = await RunAsync([.. prefix, "apt-get", "update", "-qq"], cancellationToken).ConfigureAwait(false);
        var install = await RunAsync([.. prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", .. missing], cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(logPath, update?.StandardOutput + update?.StandardError + install?.StandardOutput + install?.StandardError, cancellationToken).ConfigureAwait(false);
        return install is { ExitCode: 0 } ? null : $"could not install {string.Join(' ', missing)} (log: {logPath})";
    }

    private static Task<CommandOutput.Result?> RunAsync(string[] command, CancellationToken cancellationToken) =>
        CommandOutput.RunAsync(command[0], command[1..], TimeSpan.FromMinutes(10), cancellationToken);
}
