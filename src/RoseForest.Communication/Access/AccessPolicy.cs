using RoseForest.Communication.Contracts;

namespace RoseForest.Communication.Access;

/// <summary>
/// The one access decision, applied on every operation of every route. For a model M (home
/// namespace H, contract C) and a namespace N:
/// <list type="bullet">
/// <item>admin on N: the administrator, N's owner, or a model granted admin on N;</item>
/// <item>N = H: read and write (a model's home is its own);</item>
/// <item>otherwise the policy of N toward H caps what may happen: strict allows nothing,
/// shared allows reads, federated reads and writes; within the cap, a read needs C to ask for N
/// (read_namespaces holds N or "*") and N's consent (a read grant, or N shared or public; public
/// needs no ask), and a write needs C to ask (write_namespaces) and a write grant.</item>
/// </list>
/// </summary>
public static class AccessPolicy
{
    /// <summary>True when <paramref name="contract"/>'s model may exercise <paramref name="right"/> on <paramref name="ns"/>.</summary>
    public static bool Allows(ModelContract contract, NamespaceRecord ns, Rights right)
    {
        var grants = ns.GrantsOf(contract.ModelId);
        if (right == Rights.Admin)
        {
            return grants.HasFlag(Rights.Admin);
        }

        if (contract.Namespace == ns.Name)
        {
            return true;
        }

        var policy = ns.PolicyToward(contract.Namespace);
        if (policy == IsolationPolicy.Strict || (right == Rights.Write && policy == IsolationPolicy.Shared))
        {
            return false;
        }

        if (right == Rights.Read)
        {
            return ns.Visibility == Visibility.Public ||
                   (contract.AsksToRead(ns.Name) && (grants.HasFlag(Rights.Read) || grants.HasFlag(Rights.Admin) || ns.Visibility == Visibility.Shared));
        }

        return contract.AsksToWrite(ns.Name) && (grants.HasFlag(Rights.Write) || grants.HasFlag(Rights.Admin));
    }
}
