using System.Globalization;

namespace IoModels.Bench.Sweep;

/// <summary>
/// Where a model leaves the floor in a rate sweep: <see cref="Rate"/> is the highest offered rate of the unbroken
/// run of steps, from the lowest up, whose p99 stayed under the limit while the rate was sustained.
/// <see cref="Rate"/> is null when the lowest step already broke; <see cref="Break"/> is the first step that broke
/// and why, null when every step held (the knee lies beyond the sweep).
/// </summary>
internal sealed record Knee(double? Rate, SweepPoint? Break, string? Reason)
{
    /// <summary>
    /// Finds the knee of one model's points. A step breaks when its cell failed, its p99 is above
    /// <paramref name="p99LimitMicros"/>, or it echoed less than <paramref name="sustainedFraction"/> of the
    /// offered rate. Steps above the first break do not count even if they hold: a point that recovers past a
    /// break is noise, not headroom, and the knee is where the tail first left the floor.
    /// </summary>
    public static Knee Find(IEnumerable<SweepPoint> points, double p99LimitMicros, double sustainedFraction)
    {
        ArgumentNullException.ThrowIfNull(points);
        double? knee = null;
        foreach (var point in points.OrderBy(point => point.OfferedRate))
        {
            if (WhyBroken(point, p99LimitMicros, sustainedFraction) is { } reason)
            {
                return new Knee(knee, point, reason);
            }

            knee = point.OfferedRate;
        }

        return new Knee(knee, null, null);
    }

    /// <summary>Why a step does not hold, in words; null when it holds.</summary>
    public static string? WhyBroken(SweepPoint point, double p99LimitMicros, double sustainedFraction)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (!point.Ran)
        {
            return "the cell failed";
        }

        if (point.AchievedRate < point.OfferedRate * sustainedFraction)
        {
            return string.Create(CultureInfo.InvariantCulture, $"echoed {point.AchievedRate / point.OfferedRate * 100:0}% of the offered rate");
        }

        if (point.P99Micros is not double p99 || p99 > p99LimitMicros)
        {
            return $"p99 {MetricFormat.Micros(point.P99Micros)} above {MetricFormat.Micros(p99LimitMicros)}";
        }

        return null;
    }
}
