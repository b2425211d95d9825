namespace IoModels.Tests.Bench.Ab;

/// <summary>
/// Seeded synthetic rounds: each run is a true rate times a normal noise factor, so a test knows the shift it planted.
/// </summary>
internal static class SyntheticRounds
{
    public static double[] Rates(Random random, int rounds, double trueRate, double noise)
    {
        var values = new double[rounds];
        for (var i = 0; i < rounds; i++)
        {
            values[i] = trueRate * Math.Max(0.01, 1 + (noise * Normal(random)));
        }

        return values;
    }

    /// <summary>Box-Muller: a standard normal from two uniforms.</summary>
    public static double Normal(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
