namespace RoseForest.Knowledge.Tests;

/// <summary>A clock a test can set anywhere, backwards included (FakeTimeProvider refuses to go back).</summary>
internal sealed class SettableTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
