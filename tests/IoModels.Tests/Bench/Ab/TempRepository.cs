using System.Diagnostics;

namespace IoModels.Tests.Bench.Ab;

/// <summary>A throwaway git repository with one commit, for the tests that check refs out and build them.</summary>
internal static class TempRepository
{
    /// <summary>One project named like the server, in a layout of its own (a .slnx, an "old" folder): found by what the tree holds.</summary>
    public static readonly (string Path, string Text)[] TinyServer =
    [
        ("Tiny.slnx", "<Solution><Project Path=\"old/IoModels.Server/IoModels.Server.csproj\" /></Solution>"),
        ("old/IoModels.Server/IoModels.Server.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>"),
        ("old/IoModels.Server/Server.cs", "namespace Tiny; public static class Server { }"),
    ];

    public static async Task<string> CreateAsync(string repository, params (string Path, string Text)[] files)
    {
        foreach (var (relative, text) in files)
        {
            var path = Path.Combine(repository, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, text);
        }

        Assert.Equal(0, (await GitAsync(repository, "init", "-q")).Exit);
        Assert.Equal(0, (await GitAsync(repository, "add", "-A")).Exit);
        Assert.Equal(0, (await GitAsync(repository, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")).Exit);
        return repository;
    }

    public static async Task<(int Exit, string Output)> GitAsync(string repository, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
