namespace RoseForest.Knowledge.Model;

/// <summary>A node's judgement of a package: <c>upvote</c> (agrees) or <c>downvote</c> (disputes).</summary>
public enum VoteKind
{
    /// <summary>The voter agrees with the package.</summary>
    Upvote = 1,

    /// <summary>The voter disputes the package.</summary>
    Downvote = 2,
}
