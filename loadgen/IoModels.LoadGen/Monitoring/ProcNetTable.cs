namespace IoModels.LoadGen.Monitoring;

/// <summary>
/// A table of /proc/net/snmp or /proc/net/netstat: a line of names after a prefix (<c>"TcpExt: SyncookiesSent ..."</c>)
/// followed by a line of values with the same prefix (<c>"TcpExt: 0 ..."</c>).
/// </summary>
public static class ProcNetTable
{
    /// <summary>The names and values of the first <paramref name="prefix"/> table, in order; empty when there is none.</summary>
    public static IEnumerable<(string Name, string Value)> Read(IReadOnlyList<string> lines, string prefix)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (int line = 0; line + 1 < lines.Count; line++)
        {
            if (!lines[line].StartsWith(prefix, StringComparison.Ordinal) || !lines[line + 1].StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            string[] names = lines[line].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] values = lines[line + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return Enumerable.Range(1, Math.Max(0, Math.Min(names.Length, values.Length) - 1)).Select(i => (names[i], values[i]));
        }

        return [];
    }
}
