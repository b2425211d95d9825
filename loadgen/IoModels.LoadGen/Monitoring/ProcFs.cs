using System.Globalization;

namespace IoModels.LoadGen.Monitoring;

/// <summary>Reads a process's CPU time, memory and threads from /proc/PID/stat and /proc/PID/status.</summary>
public static class ProcFs
{
    /// <summary>
    /// Clock ticks per second in /proc/PID/stat. USER_HZ is 100 on every Linux architecture .NET runs on (it is part of
    /// the kernel's ABI, independent of CONFIG_HZ), so it is not looked up with <c>getconf CLK_TCK</c>.
    /// </summary>
    public const int ClockTicksPerSecond = 100;

    /// <summary>The process's reading, or null when it is gone or unreadable.</summary>
    public static ProcessSample? TryRead(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string status = File.ReadAllText($"/proc/{pid}/status");
            return new ProcessSample(ParseCpuTicks(stat), StatusKilobytes(status, "VmRSS:") * 1024, StatusKilobytes(status, "VmHWM:") * 1024, (int)StatusValue(status, "Threads:"));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime (field 14) + stime (field 15). The command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.</summary>
    public static long ParseCpuTicks(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        return long.Parse(fields[14 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
    }

    private static long StatusKilobytes(string status, string key) => StatusValue(status, key);

    private static long StatusValue(string status, string key)
    {
        foreach (var line in status.AsSpan().EnumerateLines())
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var rest = line[key.Length..].Trim();
                int space = rest.IndexOf(' ');
                return long.Parse(space < 0 ? rest : rest[..space], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
