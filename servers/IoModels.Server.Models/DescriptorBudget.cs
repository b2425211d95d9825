using System.Globalization;

namespace IoModels.Server.Models;

/// <summary>
/// How many connections a server may hold before it leaves the runtime too few file descriptors of its own.
/// </summary>
/// <remarks>
/// Accepting until <c>accept</c> fails with EMFILE is not survivable in .NET: at the limit the runtime itself
/// needs descriptors (naming a new thread opens <c>/proc/self/task/N/comm</c>, some paths create pipes) and
/// aborts with "Out of memory." when it cannot get one. So a server stops accepting while
/// <see cref="Headroom"/> descriptors are still free, and treats that exactly like EMFILE.
/// </remarks>
public static class DescriptorBudget
{
    /// <summary>Descriptors kept free for the runtime (assemblies, threads, pipes, logging).</summary>
    public const int Headroom = 64;

    /// <summary>Connections allowed given the soft RLIMIT_NOFILE and the descriptors open now.</summary>
    public static long MaxConnections()
    {
        long limit = ReadSoftLimit();
        if (limit <= 0)
        {
            return long.MaxValue;
        }

        int open = Directory.GetFiles("/proc/self/fd").Length;
        return Math.Max(1, limit - open - Headroom);
    }

    private static long ReadSoftLimit()
    {
        const string Prefix = "Max open files";
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    string soft = line[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return soft == "unlimited" ? -1 : long.Parse(soft, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // No /proc: no budget, EMFILE handling alone.
        }

        return -1;
    }
}
