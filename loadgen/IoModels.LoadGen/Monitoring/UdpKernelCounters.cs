using System.Globalization;

namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// The kernel's UDP counters of this network namespace: the <c>Udp:</c> line of /proc/net/snmp and the <c>Udp6</c> lines
/// of /proc/net/snmp6, added together. They count every UDP socket of the machine (or namespace), server and client
/// alike, which is the point: they say where datagrams were dropped. <c>RcvbufErrors</c>: a receiving socket's buffer
/// was full; <c>SndbufErrors</c>: a sending socket's was; <c>InErrors</c>: every datagram dropped on receipt, those included.
/// </summary>
public readonly record struct UdpKernelCounters(long InDatagrams, long NoPorts, long InErrors, long OutDatagrams, long RcvbufErrors, long SndbufErrors)
{
    private static readonly string[] s_names = ["InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors", "SndbufErrors"];

    /// <summary>Now, or null when /proc/net/snmp cannot be read.</summary>
    public static UdpKernelCounters? TryRead()
    {
        try
        {
            string[] snmp6 = File.Exists("/proc/net/snmp6") ? File.ReadAllLines("/proc/net/snmp6") : [];
            return Parse(File.ReadAllLines("/proc/net/snmp"), snmp6);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// From the text of /proc/net/snmp (a <c>Udp:</c> line of names, then one of values) and /proc/net/snmp6 (one
    /// <c>Udp6Name value</c> per line); null when there is no <c>Udp:</c> pair.
    /// </summary>
    public static UdpKernelCounters? Parse(IReadOnlyList<string> snmp, IReadOnlyList<string> snmp6)
    {
        ArgumentNullException.ThrowIfNull(snmp);
        ArgumentNullException.ThrowIfNull(snmp6);
        var values = new long[s_names.Length];
        bool found = false;
        foreach (var (name, number) in ProcNetTable.Read(snmp, "Udp: "))
        {
            Add(values, name, number);
            found = true;
        }

        foreach (string line in snmp6)
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0].StartsWith("Udp6", StringComparison.Ordinal))
            {
                Add(values, fields[0]["Udp6".Length..], fields[1]);
            }
        }

        return found ? new UdpKernelCounters(values[0], values[1], values[2], values[3], values[4], values[5]) : null;
    }

    public static UdpKernelCounters operator -(UdpKernelCounters after, UdpKernelCounters before) => new(
        after.InDatagrams - before.InDatagrams,
        after.NoPorts - before.NoPorts,
        after.InErrors - before.InErrors,
        after.OutDatagrams - before.OutDatagrams,
        after.RcvbufErrors - before.RcvbufErrors,
        after.SndbufErrors - before.SndbufErrors);

    private static void Add(long[] values, string name, string number)
    {
        int index = Array.IndexOf(s_names, name);
        if (index >= 0 && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            values[index] += value;
        }
    }
}
