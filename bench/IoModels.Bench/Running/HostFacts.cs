namespace IoModels.Bench.Running;

/// <summary>The machine and tool versions a manifest records.</summary>
internal static class HostFacts
{
    public static HostInfo Host() => new(
        ReadText("/proc/sys/kernel/osrelease"),
        ProcField("/proc/cpuinfo", "model name") ?? "unknown",
        Environment.ProcessorCount,
        long.TryParse((ProcField("/proc/meminfo", "MemTotal") ?? "").Split(' ')[0], out long kib) ? kib : 0)
    {
        Somaxconn = ReadNumber("/proc/sys/net/core/somaxconn"),
        TcpSyncookies = ReadNumber("/proc/sys/net/ipv4/tcp_syncookies"),
    };

    private static long? ReadNumber(string path) =>
        long.TryParse(ReadText(path), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;

    public static async Task<(string Commit, bool Dirty)> GitStateAsync(string root, string runDirectory, CancellationToken cancellationToken)
    {
        string commit = await CommandOutput.FirstLineAsync("git", ["-C", root, "rev-parse", "HEAD"], "unknown", cancellationToken).ConfigureAwait(false);
        // The run folder itself is new and untracked while the run writes it: it does not make the source dirty.
        string relative = Path.GetRelativePath(root, runDirectory);
        string[] pathspec = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? ["."] : [".", $":(exclude){relative}"];
        var status = await CommandOutput.RunAsync("git", ["-C", root, "status", "--porcelain", "--", .. pathspec], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return (commit, status is { ExitCode: 0 } && status.StandardOutput.Trim().Length > 0);
    }

    private static string ReadText(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : "unknown";

    private static string? ProcField(string path, string key) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(line => line.StartsWith(key, StringComparison.Ordinal)).Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;
}
