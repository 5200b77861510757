using System.Globalization;
using System.Text.Json;

using RoseForest.Contracts.Qdrant;

namespace RoseForest.Server.Tests;

/// <summary>The vector fast path gives exactly what reading each element as a double and narrowing gives.</summary>
public class VectorParsingTests
{
    [Fact]
    public void Fast_vector_parsing_agrees_with_element_reading_on_every_number_format()
    {
        var rng = new Random(2024);
        for (var trial = 0; trial < 2000; trial++)
        {
            var texts = Enumerable.Range(0, rng.Next(1, 40)).Select(_ => RandomNumber(rng)).ToArray();
            var json = "[" + string.Join(rng.Next(2) == 0 ? "," : ", ", texts) + "]";
            var element = JsonElement.Parse(json);
            var expected = element.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
            if (expected.Any(x => !float.IsFinite(x)))
            {
                Assert.Throws<ValidationException>(() => JsonFields.Vector(element, "v"));
                continue;
            }

            Assert.Equal(expected, JsonFields.Vector(element, "v"));
        }
    }

    private static string RandomNumber(Random rng) => rng.Next(8) switch
    {
        0 => rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        1 => rng.Next(0, 256).ToString(CultureInfo.InvariantCulture),
        2 => ((rng.NextDouble() * 2) - 1).ToString("R", CultureInfo.InvariantCulture),
        3 => (rng.NextDouble() * 1e-6).ToString("E5", CultureInfo.InvariantCulture),
        4 => Math.Round((rng.NextDouble() * 200) - 100, rng.Next(1, 16)).ToString("F" + rng.Next(1, 17).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        5 => rng.NextInt64(1_000_000_000L, 99_999_999_999L).ToString(CultureInfo.InvariantCulture),
        6 => "-0.0",
        _ => (rng.NextDouble() * 1e39).ToString("E3", CultureInfo.InvariantCulture),
    };
}
