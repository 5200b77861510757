namespace RoseForest.Mcp; internal static class Placeholder { }
