using System.Numerics;

namespace RoseForest.Federated.SecureAggregation;

/// <summary>One Shamir share: the polynomial's value <see cref="Y"/> at the point <see cref="X"/> (1-based), in the field of integers modulo 2⁵²¹ − 1.</summary>
public readonly record struct ShamirShare(int X, BigInteger Y);
