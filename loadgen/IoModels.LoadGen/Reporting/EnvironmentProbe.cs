using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IoModels.LoadGen.Reporting;

/// <summary>Where the run happened: OS, cores, runtime, commit, CPU placement.</summary>
public static class EnvironmentProbe
{
    public static EnvironmentReport Capture(DateTimeOffset startedUtc) => new()
    {
        Os = RuntimeInformation.OSDescription,
        Cores = Environment.ProcessorCount,
        Dotnet = RuntimeInformation.FrameworkDescription,
        Commit = GitCommit(),
        CpuAffinity = CpuAffinity(),
        Machine = Environment.MachineName,
        StartedUtc = startedUtc,
    };

    private static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return "unknown";
            }

            string output = git.StandardOutput.ReadToEnd().Trim();
            return git.WaitForExit(2000) && git.ExitCode == 0 && output.Length > 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git on this machine.
            return "unknown";
        }
    }

    private static string CpuAffinity()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))
                {
                    return line["Cpus_allowed_list:".Length..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return "unknown";
    }
}
