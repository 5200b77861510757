using System.Text.RegularExpressions;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Storage;

/// <summary>Task ids double as folder names, so they are restricted to a safe alphabet.</summary>
internal static partial class TaskFolders
{
    /// <summary>Throws unless the id is 1-64 characters of letters, digits, '_', '-' and '.', starting with a letter or digit.</summary>
    public static string Check(string taskId, string field = "task_id") =>
        taskId is not null && IdPattern().IsMatch(taskId)
            ? taskId
            : throw new WireFormatException(field, "must be 1-64 characters of letters, digits, '_', '-' and '.', starting with a letter or digit.");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
