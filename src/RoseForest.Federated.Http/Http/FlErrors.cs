using Microsoft.AspNetCore.Http;
using RoseForest.Federated.Coordination;
using RoseForest.Federated.SecureAggregation;
using RoseForest.Federated.Validation;
using RoseForest.Federated.Wire;

namespace RoseForest.Federated.Http.Http;

/// <summary>Maps the federated core's typed exceptions to HTTP statuses and codes; anything else is a 500.</summary>
internal static class FlErrors
{
    public static (int Status, string Code, string Message) Map(Exception e) => e switch
    {
        FederatedHttpException h => (h.Status, h.Code, h.Message),
        WireFormatException w => (StatusCodes.Status400BadRequest, "invalid_request", $"Wrong input: {w.Message}"),
        RoundMismatchException r => (StatusCodes.Status409Conflict, "round_mismatch", $"{r.Field}: {r.Message}"),
        DuplicateUpdateException d => (StatusCodes.Status409Conflict, "duplicate_update", $"{d.Field}: {d.Message}"),
        UpdateValidationException v => (StatusCodes.Status400BadRequest, "invalid_update", $"Wrong input: {v.Field}: {v.Message}"),
        ShareAuthenticationException a => (StatusCodes.Status400BadRequest, "invalid_request", $"Wrong input: {a.Message}"),
        SecureAggregationException s => (StatusCodes.Status409Conflict, "secure_aggregation", s.Message),
        BadHttpRequestException b => (b.StatusCode, "invalid_request", $"Bad request: {b.Message}"),
        SnapshotFormatException f => (StatusCodes.Status500InternalServerError, "internal", $"Stored task state is unreadable: {f.Message}"),
        _ => (StatusCodes.Status500InternalServerError, "internal", $"Service internal error: {e.Message}"),
    };
}
