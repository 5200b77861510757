using System.Security.Cryptography;
using System.Text;

namespace RoseForest.Dashboard.Access;

/// <summary>What a presented key may do, compared as the REST key middleware compares (SHA-256, constant time).</summary>
internal sealed class KeyCheck(DashboardOptions options)
{
    private readonly byte[]? _key = Hash(options.ApiKey);
    private readonly byte[]? _readOnlyKey = Hash(options.ReadOnlyApiKey);

    public KeyAccess Classify(string? presented)
    {
        if (_key is null && _readOnlyKey is null)
        {
            return KeyAccess.Admin;
        }

        if (presented is null)
        {
            return KeyAccess.None;
        }

        var hash = Hash(presented)!;
        if (_key is not null && CryptographicOperations.FixedTimeEquals(hash, _key))
        {
            return KeyAccess.Admin;
        }

        return _readOnlyKey is not null && CryptographicOperations.FixedTimeEquals(hash, _readOnlyKey) ? KeyAccess.ReadOnly : KeyAccess.None;
    }

    private static byte[]? Hash(string? key) => key is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>The kinds of key the dashboard knows.</summary>
internal enum KeyAccess
{
    /// <summary>No key, or one the server does not know.</summary>
    None,

    /// <summary>The read-only key: every page, no write action.</summary>
    ReadOnly,

    /// <summary>The full key, or a server without keys.</summary>
    Admin,
}
