using RnnLab.Contracts.V1;
using RnnLab.Dashboard.Aggregation;
using RnnLab.Server.Sweeping;
using RnnLab.Sweeps.Analysis;

namespace RnnLab.Server.Grpc;

/// <summary>Maps a sweep's computed charts to the GetSweepCharts message.</summary>
internal static class ChartMapping
{
    public static SweepCharts ToProto(Guid sweepId, SweepChartData data, ChartLimits limits)
    {
        var charts = new SweepCharts
        {
            SweepId = sweepId.ToString(),
            Objective = data.Objective,
            Maximize = data.Maximize,
            BaselineCell = data.BaselineCell,
            CurveCandidates = data.CurveCandidates,
            CurveLimit = limits.Curves,
            PointsPerCurve = limits.PointsPerCurve,
            Importance = ToProto(data.Importance),
            FinishedTrials = data.FinishedTrials,
        };
        charts.Curves.AddRange(data.Curves.Select(ToProto));
        charts.Cells.AddRange(data.Cells.Select(ToProto));
        charts.CellNames.AddRange(data.CellNames);
        if (data.Parallel is { } parallel)
        {
            charts.Parallel = new ChartParallel { Objective = ToProto(parallel.Objective), Shown = parallel.Shown, Total = parallel.Total };
            charts.Parallel.Axes.AddRange(parallel.Axes.Select(ToProto));
        }

        return charts;
    }

    private static ChartCurve ToProto(TrialCurve curve)
    {
        var message = new ChartCurve { TrialId = curve.Trial.Id, TrialNumber = curve.Trial.Number, Cell = curve.Trial.Cell, State = curve.Trial.State };
        if (curve.Trial.Objective is { } objective)
        {
            message.Objective = objective;
        }

        message.Epochs.AddRange(curve.Points.Select(p => (int)p.X));
        message.Values.AddRange(curve.Points.Select(p => p.Y));
        return message;
    }

    private static ChartCell ToProto(CellSummary cell) => new()
    {
        Cell = cell.Cell,
        All = ToProto(cell.All),
        Best = ToProto(cell.Best),
        AllVersusBaseline = ToProto(cell.AllVersusBaseline),
        BestVersusBaseline = ToProto(cell.BestVersusBaseline),
    };

    private static ChartBox ToProto(BoxStatistics box) => new()
    {
        Count = box.Count,
        Mean = box.Mean,
        LowerFence = box.LowerFence,
        Q1 = box.Q1,
        Median = box.Median,
        Q3 = box.Q3,
        UpperFence = box.UpperFence,
    };

    private static ChartWelch? ToProto(WelchResult? test) => test is null ? null : new ChartWelch
    {
        MeanDifference = test.MeanDifference,
        TStatistic = test.T,
        DegreesOfFreedom = test.DegreesOfFreedom,
        PValue = test.PValue,
        Significant = test.Significant,
    };

    private static ChartAxis ToProto(ParameterColumn column)
    {
        var axis = new ChartAxis { Name = column.Name, LogScale = column.LogScale };
        axis.Categories.AddRange(column.Categories ?? []);
        axis.Values.AddRange(column.Values);
        return axis;
    }

    private static ChartImportance ToProto(ImportanceResult importance)
    {
        var message = new ChartImportance { Note = importance.Note ?? "" };
        message.Bars.AddRange(importance.Bars.Select(b => new ChartImportanceBar { Parameter = b.Parameter, Fraction = b.Fraction, StandardDeviation = b.StandardDeviation }));
        if (importance.Marginal is { } marginal)
        {
            message.Marginal = new ChartMarginal { Parameter = marginal.Parameter, LogScale = marginal.LogScale };
            message.Marginal.X.AddRange(marginal.X);
            message.Marginal.Categories.AddRange(marginal.Categories ?? []);
            message.Marginal.Mean.AddRange(marginal.Mean);
            message.Marginal.StandardDeviation.AddRange(marginal.StandardDeviation);
        }

        return message;
    }
}
