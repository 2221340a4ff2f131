namespace RnnLab.Dashboard.Aggregation;

/// <summary>One point of a curve: an epoch (or any x) and a metric value.</summary>
public readonly record struct CurvePoint(double X, double Y);
