using Microsoft.Extensions.AI;
using RoseForest.Embeddings.MiniLm;

namespace RoseForest.Embeddings.Tests;

public class MiniLmLifecycleTests
{
    [Fact]
    public async Task An_already_cancelled_token_stops_before_any_batch()
    {
        using var generator = new MiniLmEmbeddingGenerator();
        int batches = 0;
        generator.BatchCompleted = _ => batches++;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["a", "b"], cancellationToken: cts.Token));
        Assert.Equal(0, batches);
    }

    [Fact]
    public async Task Cancelling_after_the_first_batch_stops_before_the_second()
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 2, MaxConcurrentBatches = 1 });
        using var cts = new CancellationTokenSource();
        var completed = new List<int>();
        generator.BatchCompleted = index =>
        {
            completed.Add(index);
            cts.Cancel();
        };
        string[] texts = ["one", "two", "three", "four", "five", "six"];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(texts, cancellationToken: cts.Token));

        Assert.Equal([0], completed);
        // The generator is still usable afterwards.
        generator.BatchCompleted = null;
        Assert.Equal(6, (await generator.GenerateAsync(texts)).Count);
    }

    [Fact]
    public async Task Cancelling_a_call_with_parallel_workers_stops_each_before_its_next_batch()
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 1, MaxConcurrentBatches = 2 });
        using var cts = new CancellationTokenSource();
        int completed = 0;
        generator.BatchCompleted = _ =>
        {
            Interlocked.Increment(ref completed);
            cts.Cancel();
        };
        string[] texts = [.. Enumerable.Range(0, 10).Select(i => $"text {i}")];

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(texts, cancellationToken: cts.Token));

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.InRange(completed, 1, 2); // at most the batch each worker had in flight
    }

    [Fact]
    public async Task A_failing_batch_reports_its_own_error_and_stops_the_other_workers()
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 1, MaxConcurrentBatches = 2 });
        int completed = 0;
        generator.BatchCompleted = _ =>
        {
            Interlocked.Increment(ref completed);
            throw new InvalidOperationException("boom");
        };
        string[] texts = [.. Enumerable.Range(0, 10).Select(i => $"text {i}")];

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => generator.GenerateAsync(texts));

        Assert.Equal("boom", error.Message);
        Assert.InRange(completed, 1, 2);
    }

    [Fact]
    public async Task A_disposed_generator_refuses_work()
    {
        var generator = new MiniLmEmbeddingGenerator();
        await generator.GenerateAsync(["load the model"]);
        generator.Dispose();
        generator.Dispose(); // idempotent
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["a"]));
    }

    [Fact]
    public async Task A_call_that_spans_a_dispose_fails_cleanly_instead_of_touching_a_released_session()
    {
        var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions { MaxBatchSize = 1, MaxConcurrentBatches = 1 });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        generator.BatchCompleted = index =>
        {
            if (index == 0)
            {
                started.TrySetResult();
                release.Task.Wait();
            }
        };
        Task<GeneratedEmbeddings<Embedding<float>>> running = Task.Run(() => generator.GenerateAsync(["first", "second"]));
        await started.Task;
        // The first batch is done and its caller is held before the second: dispose in between.
        generator.Dispose();
        release.SetResult();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
    }
}
