namespace RoseForest.Core.Spaces;

/// <summary>Code generic over the geometry's kernel, run once per query after one switch.</summary>
internal interface ISpaceAction<out TResult>
{
    TResult Run<TSpace>()
        where TSpace : struct, ISpace;
}

/// <summary>Turns a runtime <see cref="Geometry"/> into a call specialised for its kernel struct.</summary>
internal static class SpaceSwitch
{
    public static TResult Run<TAction, TResult>(Geometry geometry, TAction action)
        where TAction : ISpaceAction<TResult> => geometry switch
        {
            Geometry.Euclid => action.Run<EuclidSpace>(),
            Geometry.Cosine => action.Run<CosineSpace>(),
            Geometry.Dot => action.Run<DotSpace>(),
            Geometry.Manhattan => action.Run<ManhattanSpace>(),
            Geometry.Poincare => action.Run<PoincareSpace>(),
            Geometry.Lorentz => action.Run<LorentzSpace>(),
            _ => throw new ArgumentOutOfRangeException(nameof(geometry)),
        };
}
