using System.Diagnostics;
using System.Globalization;

namespace IoModels.Bench.Ab;

/// <summary>
/// A git ref checked out in its own worktree and built there, so A is exactly what that commit builds. The ref may predate
/// this tool or a change of layout, so what is built is found by name: the server project (IoModels.Server.csproj, wherever
/// it lies) and what it references, else whatever .sln/.slnx the root holds; the server is then found by name too
/// (IoModels.Server.dll under a bin/Release folder), not by today's path. Disposing removes the worktree.
/// </summary>
public sealed class RefBuild : IAsyncDisposable
{
    public const string ServerAssembly = "IoModels.Server.dll";
    public const string ServerProject = "IoModels.Server.csproj";
    private static readonly TimeSpan s_gitTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(20);

    private readonly string _repository;
    private readonly string _worktree;

    private RefBuild(string repository, string worktree, string serverPath)
    {
        _repository = repository;
        _worktree = worktree;
        ServerPath = serverPath;
    }

    public string ServerPath { get; }

    /// <summary>Checks <paramref name="gitRef"/> out beside <paramref name="repository"/> and builds it; the log goes to <paramref name="logDirectory"/>.</summary>
    public static async Task<RefBuild> BuildRefAsync(string repository, string gitRef, string logDirectory, CancellationToken cancellationToken)
    {
        var (resolved, commit) = await RunAsync("git", ["-C", repository, "rev-parse", "--verify", "--quiet", gitRef + "^{commit}"], null, s_gitTimeout, cancellationToken).ConfigureAwait(false);
        if (resolved != 0 || string.IsNullOrWhiteSpace(commit))
        {
            throw new AbUsageException($"unknown git ref '{gitRef}' in {repository}");
        }

        commit = commit.Trim();
        var worktree = Path.Combine(Path.GetTempPath(), $"iomodels-ab-{commit[..12]}-{Guid.NewGuid():N}"[..44]);
        var (added, output) = await RunAsync("git", ["-C", repository, "worktree", "add", "--detach", worktree, commit], null, s_gitTimeout, cancellationToken).ConfigureAwait(false);
        if (added != 0)
        {
            throw new AbUsageException($"cannot check out ref '{gitRef}' into a worktree: {FirstLine(output)}");
        }

        try
        {
            var server = await BuildTreeAsync(worktree, gitRef, logDirectory, cancellationToken).ConfigureAwait(false);
            return new RefBuild(repository, worktree, server);
        }
        catch
        {
            await RemoveWorktreeAsync(repository, worktree).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Builds the tree at <paramref name="root"/> in place (this tree's side) and returns the path of its server.</summary>
    public static async Task<string> BuildTreeAsync(string root, string name, string logDirectory, CancellationToken cancellationToken)
    {
        var target = FindBuildTarget(root)
            ?? throw new AbUsageException($"ref '{name}' holds neither a {ServerProject} nor a solution (.sln or .slnx) at its root {root}");
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, $"build-{Sanitize(name)}.log");
        var (exit, output) = await RunAsync("dotnet", ["build", target, "-c", "Release"], root, s_buildTimeout, cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(log, output, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new AbUsageException($"ref '{name}' does not build (exit {exit}); build log: {log}");
        }

        return FindServer(root)
            ?? throw new AbUsageException($"ref '{name}' built but holds no {ServerAssembly} under a bin/Release folder; build log: {log}");
    }

    /// <summary>
    /// What to build: the server project when the tree holds one (the one nearest the root), since the A/B run needs only
    /// the servers and a whole solution (tests, benchmarks) costs CI minutes for nothing; else the root's solution.
    /// </summary>
    public static string? FindBuildTarget(string root)
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, ServerProject, SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Split(separator).Any(folder => folder is "bin" or "obj"))
            .OrderBy(path => path.Length)
            .ThenBy(path => path, StringComparer.Ordinal)
            .FirstOrDefault()
            ?? FindSolution(root);
    }

    /// <summary>The solution at the root: IoModels.sln first, then any .sln, then any .slnx.</summary>
    public static string? FindSolution(string root)
    {
        var preferred = Path.Combine(root, "IoModels.sln");
        if (File.Exists(preferred))
        {
            return preferred;
        }

        return Directory.EnumerateFiles(root, "*.sln").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? Directory.EnumerateFiles(root, "*.slnx").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>
    /// The server assembly a build left: one in a bin/Release output folder, preferring the server project's own output
    /// (its folder named IoModels.Server) over copies in the outputs of projects that reference it (the tests).
    /// </summary>
    public static string? FindServer(string root)
    {
        var separator = Path.DirectorySeparatorChar;
        var candidates = Directory.EnumerateFiles(root, ServerAssembly, SearchOption.AllDirectories)
            .Where(path => path.Contains($"{separator}bin{separator}Release{separator}", StringComparison.Ordinal))
            .ToList();
        return candidates
            .OrderByDescending(path => path.Contains($"{separator}IoModels.Server{separator}bin{separator}", StringComparison.Ordinal))
            .ThenBy(path => path.Length)
            .ThenBy(path => path, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public async ValueTask DisposeAsync() => await RemoveWorktreeAsync(_repository, _worktree).ConfigureAwait(false);

    /// <summary>Removes the worktree even when its build left untracked output (bin, obj), which plain removal refuses.</summary>
    private static async Task RemoveWorktreeAsync(string repository, string worktree) =>
        await RunAsync("git", ["-C", repository, "worktree", "remove", "--force", worktree], null, s_gitTimeout, CancellationToken.None).ConfigureAwait(false);

    private static string Sanitize(string name) =>
        string.Concat(name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '.' ? ch : '_'));

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>Runs a process to its end (or kills it at the timeout) and returns its exit code and its stdout and stderr together.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, string? workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new AbUsageException($"cannot start {file}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (-1, string.Create(CultureInfo.InvariantCulture, $"{file} {string.Join(' ', arguments)} timed out after {timeout.TotalMinutes:0} min"));
        }
    }
}
