namespace IoModels.Bench.Ab;

/// <summary>
/// How a difference becomes a verdict. <see cref="Threshold"/> is the smallest relative change reported (0.05: a median
/// ratio beyond 5%); <see cref="Alpha"/> is the false-alarm rate per cell, split over the metrics a cell has, so a
/// cell with two metrics is not twice as likely to raise a false alarm as a cell with one.
/// </summary>
public sealed record AbStatisticsOptions(double Threshold = 0.05, double Alpha = 0.05, double ConfidenceLevel = 0.95, int BootstrapResamples = 2000, int Seed = 11);
