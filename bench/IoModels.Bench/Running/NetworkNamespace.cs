using System.ComponentModel;
using System.Globalization;
using IoModels.Bench.Scenarios;

namespace IoModels.Bench.Running;

/// <summary>
/// A network namespace for one cell, made with <c>unshare --net</c>: its loopback brought up, and an nftables rule
/// that drops a share of the packets arriving in it at random (<c>numgen random mod 100 &lt; N drop</c>). A holder process
/// keeps the namespace alive; the server and the load generator join it with <c>nsenter</c>, which execs, so the
/// pid the runner samples is still the server's. Everything on the host's own network is left as it was, and the
/// namespace ends with its holder.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private static readonly TimeSpan s_setupTimeout = TimeSpan.FromSeconds(15);

    private readonly ChildProcess _holder;

    private NetworkNamespace(ChildProcess holder) => _holder = holder;

    /// <summary>Why a namespace cannot be made here, or null when it can: the cell is then <c>skipped</c> with this reason.</summary>
    public static string? WhyUnavailable(bool isRoot, Func<string, bool> onPath)
    {
        ArgumentNullException.ThrowIfNull(onPath);
        if (!isRoot)
        {
            return "a network namespace of its own needs root, to make it and load its nftables rule";
        }

        var missing = new[] { ("unshare", "util-linux"), ("nsenter", "util-linux"), ("ip", "iproute2"), ("nft", "nftables") }
            .Where(tool => !onPath(tool.Item1))
            .ToList();
        return missing.Count == 0
            ? null
            : $"a network namespace of its own needs {string.Join(", ", missing.Select(tool => tool.Item1))} (Debian: apt-get install {string.Join(' ', missing.Select(tool => tool.Item2).Distinct())})";
    }

    /// <summary>The nftables ruleset that drops <paramref name="dropPercent"/>% of the packets the namespace receives, loopback included.</summary>
    public static string Ruleset(int dropPercent)
    {
        // nft refuses "< 100" for a value that is at most 99: every packet is a plain drop, and none is no rule at all.
        string rule = dropPercent switch
        {
            <= 0 => "",
            >= 100 => "drop",
            _ => string.Create(CultureInfo.InvariantCulture, $"numgen random mod 100 < {dropPercent} drop"),
        };
        // On the input hook, not output: a UDP socket whose datagram the output hook drops gets EPERM from sendto, an
        // error a real lossy link never shows; on input the packet is lost on the way, as on a wire, for TCP and UDP alike.
        return $$"""
            table inet iomodels_lossy {
              chain input {
                type filter hook input priority 0; policy accept;
                {{rule}}
              }
            }

            """;
    }

    /// <summary>Makes the namespace, its files beside <paramref name="stem"/>; the namespace, or why it could not be made.</summary>
    public static async Task<(NetworkNamespace? Namespace, string Problem)> CreateAsync(NetworkImpairment impairment, string stem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(impairment);
        if (WhyUnavailable(Environment.UserName == "root", tool => CommandOutput.FindOnPath(tool) is not null) is { } unavailable)
        {
            return (null, unavailable);
        }

        string rules = stem + ".nft";
        await File.WriteAllTextAsync(rules, Ruleset(impairment.DropPercent), cancellationToken).ConfigureAwait(false);

        // The holder sets the namespace up from inside, says so, then only waits; its sleep bounds a namespace whose runner died.
        string script = $"ip link set lo up && nft -f '{rules}' && echo ready && exec sleep 86400";
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ChildProcess holder;
        try
        {
            holder = ChildProcess.Start(["unshare", "--net", "--", "sh", "-c", script], new Dictionary<string, string>(), stem + ".netns.out", stem + ".netns.log", line =>
            {
                if (line == "ready")
                {
                    ready.TrySetResult();
                }
            });
        }
        catch (Win32Exception e)
        {
            return (null, $"could not run unshare: {e.Message}");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exited = holder.WaitForExitAsync(s_setupTimeout, stop.Token);
        var first = await Task.WhenAny(ready.Task, exited).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (first == ready.Task)
        {
            return (new NetworkNamespace(holder), "");
        }

        using (holder)
        {
            string why = File.Exists(stem + ".netns.log") ? File.ReadLines(stem + ".netns.log").LastOrDefault(line => line.Trim().Length > 0) ?? "" : "";
            return (null, $"could not set up the network namespace{(why.Length > 0 ? ": " + why : "")}");
        }
    }

    /// <summary>The command run inside the namespace.</summary>
    public IReadOnlyList<string> Enter(IReadOnlyList<string> command) =>
        ["nsenter", $"--net=/proc/{_holder.Id.ToString(CultureInfo.InvariantCulture)}/ns/net", "--", .. command];

    public void Dispose() => _holder.Dispose();
}
