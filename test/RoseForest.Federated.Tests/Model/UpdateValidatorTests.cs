using RoseForest.Federated.Model;
using RoseForest.Federated.Validation;
using static RoseForest.Federated.Tests.Model.Updates;

namespace RoseForest.Federated.Tests.Model;

public sealed class UpdateValidatorTests
{
    private static readonly ModelParameters Global = Zeros();
    private static readonly HashSet<string> Nobody = [];

    [Fact]
    public void A_well_formed_update_passes()
    {
        UpdateValidator.Validate(Global, Update("a", 3, TwoTensorModel([1, 2, 3, 4], [5, 6])), 3, Nobody);
    }

    [Fact]
    public void An_update_without_tensors_is_rejected_naming_tensors()
    {
        var ex = Assert.Throws<EmptyUpdateException>(() => UpdateValidator.Validate(Global, Update("a", 3, new ModelParameters([])), 3, Nobody));
        Assert.Equal("tensors", ex.Field);
    }

    [Fact]
    public void A_tensor_with_no_values_is_rejected_naming_the_tensor()
    {
        var model = new ModelParameters([new NamedTensor("e", [0], [])]);
        var ex = Assert.Throws<EmptyUpdateException>(() => UpdateValidator.Validate(model, Update("a", 3, model), 3, Nobody));
        Assert.Equal("tensors[e]", ex.Field);
    }

    [Fact]
    public void A_tensor_of_another_shape_is_rejected_naming_its_shape()
    {
        var wrong = new ModelParameters([new NamedTensor("w", [4], new float[4]), new NamedTensor("b", [2], new float[2])]);
        var ex = Assert.Throws<ShapeMismatchException>(() => UpdateValidator.Validate(Global, Update("a", 3, wrong), 3, Nobody));
        Assert.Equal("tensors[w].shape", ex.Field);
    }

    [Fact]
    public void Tensors_in_another_order_are_rejected()
    {
        var swapped = new ModelParameters([new NamedTensor("b", [2], new float[2]), new NamedTensor("w", [2, 2], new float[4])]);
        var ex = Assert.Throws<ShapeMismatchException>(() => UpdateValidator.Validate(Global, Update("a", 3, swapped), 3, Nobody));
        Assert.Equal("tensors[0].name", ex.Field);
    }

    [Fact]
    public void A_missing_tensor_is_rejected()
    {
        var ex = Assert.Throws<ShapeMismatchException>(() => UpdateValidator.Validate(Global, Update("a", 3, Flat(1, 2)), 3, Nobody));
        Assert.Equal("tensors", ex.Field);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_value_is_rejected_naming_the_tensor(float bad)
    {
        var ex = Assert.Throws<NonFiniteValueException>(() => UpdateValidator.Validate(Global, Update("a", 3, TwoTensorModel([0, 0, 0, 0], [0, bad])), 3, Nobody));
        Assert.Equal("tensors[b]", ex.Field);
    }

    [Fact]
    public void A_non_finite_loss_is_rejected()
    {
        var update = new ClientUpdate("a", 3, Zeros(), 5, metrics: new UpdateMetrics(float.NaN, 0.5f));
        var ex = Assert.Throws<NonFiniteValueException>(() => UpdateValidator.Validate(Global, update, 3, Nobody));
        Assert.Equal("metrics.loss", ex.Field);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void An_update_for_another_round_is_rejected_naming_round(int round)
    {
        var ex = Assert.Throws<RoundMismatchException>(() => UpdateValidator.Validate(Global, Update("a", round, Zeros()), 3, Nobody));
        Assert.Equal("round", ex.Field);
    }

    [Fact]
    public void A_second_update_from_a_client_in_the_same_round_is_rejected()
    {
        var ex = Assert.Throws<DuplicateUpdateException>(() => UpdateValidator.Validate(Global, Update("a", 3, Zeros()), 3, new HashSet<string> { "a" }));
        Assert.Equal("clientId", ex.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_sample_count_that_is_not_positive_is_rejected(int samples)
    {
        var ex = Assert.Throws<InvalidSampleCountException>(() => UpdateValidator.Validate(Global, Update("a", 3, Zeros(), samples), 3, Nobody));
        Assert.Equal("sampleCount", ex.Field);
    }

    [Fact]
    public void A_tensor_whose_data_does_not_fill_its_shape_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new NamedTensor("w", [2, 3], new float[5]));
    }
}
