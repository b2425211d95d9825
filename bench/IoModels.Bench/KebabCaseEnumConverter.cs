using System.Text.Json;
using System.Text.Json.Serialization;

namespace IoModels.Bench;

/// <summary>Enums as the JSON files spell them (<c>p99-latency</c>, <c>failed-to-start</c>); a number or an unknown word is an error.</summary>
internal sealed class KebabCaseEnumConverter<T> : JsonStringEnumConverter<T>
    where T : struct, Enum
{
    public KebabCaseEnumConverter()
        : base(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    {
    }
}
