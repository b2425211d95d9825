using System.Globalization;

namespace IoModels.Tests.Infrastructure;

/// <summary>What Linux says about a process and its sockets, read from /proc.</summary>
internal static class ProcFs
{
    /// <summary>The state code /proc/net/tcp uses for CLOSE_WAIT (include/net/tcp_states.h).</summary>
    public const int CloseWait = 0x08;

    public static int OpenDescriptors(int pid) => Directory.GetFiles($"/proc/{pid}/fd").Length;

    /// <summary>A field of /proc/PID/status in bytes (VmRSS, VmHWM), or a count (Threads).</summary>
    public static long Status(int pid, string field)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                string[] parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                long value = long.Parse(parts[0], CultureInfo.InvariantCulture);
                return parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
            }
        }

        throw new InvalidOperationException($"/proc/{pid}/status has no {field}");
    }

    /// <summary>User plus system CPU time of a process.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // /proc/PID/stat: the command name (field 2) may hold spaces, so count fields after its closing parenthesis.
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Counts TCP sockets in <paramref name="state"/> whose local port is <paramref name="port"/> (the server's side).</summary>
    public static int SocketsInState(int port, int state)
    {
        int count = 0;
        foreach (string table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string local = fields[1];
                int localPort = int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                int socketState = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (localPort == port && socketState == state)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
