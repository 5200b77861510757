using CsCheck;

namespace RoseForest.Knowledge.Tests;

/// <summary>A random step of a schedule: a mutation, a delivery, an anti-entropy exchange or an acknowledgement.</summary>
internal readonly record struct Step(int Kind, int A, int B, int Item, int Value)
{
    public static Gen<Step> Gen { get; } =
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, 99], CsCheck.Gen.Int[0, 4], CsCheck.Gen.Int[0, 4], CsCheck.Gen.Int[0, 5], CsCheck.Gen.Int[0, 20])
            .Select(t => new Step(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5));

    public static Gen<Step[]> Schedule(int min, int max) => Gen.Array[min, max];
}
