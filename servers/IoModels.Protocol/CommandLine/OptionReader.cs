using System.Globalization;

namespace IoModels.Protocol.CommandLine;

/// <summary>
/// Strict <c>--name value</c> parsing shared by the server and the load generator: an unknown option,
/// a missing value or a bad number is a <see cref="UsageException"/> naming what is valid.
/// </summary>
public sealed class OptionReader
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private OptionReader()
    {
    }

    /// <summary>True when <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; private set; }

    /// <summary>Reads <paramref name="args"/>. Options in <paramref name="switches"/> may stand alone (meaning true).</summary>
    public static OptionReader Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> options, IReadOnlyCollection<string> switches)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(switches);
        var reader = new OptionReader();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h")
            {
                reader.HelpRequested = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'; options are {string.Join(", ", options)}");
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (!options.Contains(name))
            {
                throw new UsageException($"unknown option '{name}'; options are {string.Join(", ", options)}");
            }

            if (value is null)
            {
                bool nextIsValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                if (nextIsValue)
                {
                    value = args[++i];
                }
                else if (switches.Contains(name))
                {
                    value = "true";
                }
                else
                {
                    throw new UsageException($"option '{name}' needs a value");
                }
            }

            if (!reader._values.TryAdd(name, value))
            {
                throw new UsageException($"option '{name}' is given twice");
            }
        }

        return reader;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    public string GetString(string name, string defaultValue) => _values.GetValueOrDefault(name) ?? defaultValue;

    /// <summary>A value that must be one of <paramref name="validValues"/>.</summary>
    public string GetChoice(string name, string? defaultValue, IReadOnlyCollection<string> validValues)
    {
        string? value = GetString(name) ?? defaultValue ?? throw new UsageException($"option '{name}' is required; valid values: {string.Join(", ", validValues)}");
        return validValues.Contains(value)
            ? value
            : throw new UsageException($"option '{name}': '{value}' is not valid; valid values: {string.Join(", ", validValues)}");
    }

    public long GetInt64(string name, long defaultValue, long min, long max)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw new UsageException($"option '{name}': '{text}' is not a whole number from {min} to {max}");
    }

    public int GetInt32(string name, int defaultValue, int min, int max) => (int)GetInt64(name, defaultValue, min, max);

    public bool GetBoolean(string name, bool defaultValue)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        return bool.TryParse(text, out bool value)
            ? value
            : throw new UsageException($"option '{name}': '{text}' is not valid; valid values: true, false");
    }

    /// <summary>A duration with a unit (<c>500ms</c>, <c>10s</c>, <c>2m</c>) or a bare number of seconds.</summary>
    public TimeSpan GetDuration(string name, TimeSpan defaultValue, TimeSpan min)
    {
        string? text = GetString(name);
        if (text is null)
        {
            return defaultValue;
        }

        return DurationParser.TryParse(text, out var value) && value >= min
            ? value
            : throw new UsageException($"option '{name}': '{text}' is not a duration of at least {DurationParser.Format(min)} (e.g. 500ms, 10s, 2m, or a number of seconds)");
    }
}
