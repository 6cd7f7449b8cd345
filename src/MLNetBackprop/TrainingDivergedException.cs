namespace MLNetBackprop;

/// <summary>Training produced a non-finite loss or parameter; no model is returned.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
