using System.Diagnostics;

namespace RoseForest.Grpc.Services;

/// <summary>The <c>time</c> every Qdrant response carries: seconds the server spent on the call.</summary>
internal readonly struct Elapsed
{
    private readonly long _start;

    private Elapsed(long start) => _start = start;

    public static Elapsed Start() => new(Stopwatch.GetTimestamp());

    public double Seconds => Stopwatch.GetElapsedTime(_start).TotalSeconds;
}
