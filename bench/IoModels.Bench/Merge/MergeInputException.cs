namespace IoModels.Bench.Merge;

/// <summary>An input the merge cannot use (unreadable, not a load-generator report, no histogram): exit 2, one line.</summary>
public sealed class MergeInputException(string message, Exception? inner = null) : Exception(message, inner);
