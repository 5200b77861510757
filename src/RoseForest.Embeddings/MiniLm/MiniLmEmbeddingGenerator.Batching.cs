using System.Runtime.ExceptionServices;
using Microsoft.ML.OnnxRuntime;

namespace RoseForest.Embeddings.MiniLm;

// How one call's texts become batches, and how batches reach the ONNX session.
public sealed partial class MiniLmEmbeddingGenerator
{
    /// <summary>
    /// Several workers of one call take batches from a shared cursor. The first failure stops the
    /// others before their next batch and is the one reported.
    /// </summary>
    private async Task EncodeInParallelAsync(string[] texts, int[] order, float[][] vectors, int batchCount, int workers, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cursor = new BatchCursor(batchCount);
        Task[] running = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            running[w] = RunWorkerAsync();
        }
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Exception? cause = running
                .Where(t => t.IsFaulted)
                .SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException);
            if (cause is not null)
            {
                ExceptionDispatchInfo.Throw(cause);
            }
            throw;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        async Task RunWorkerAsync()
        {
            try
            {
                await EncodeBatchesAsync(texts, order, vectors, cursor, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private async Task EncodeBatchesAsync(string[] texts, int[] order, float[][] vectors, BatchCursor cursor, CancellationToken cancellationToken)
    {
        int batchSize = _options.MaxBatchSize;
        while (cursor.TryTake(out int batchIndex))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = batchIndex * batchSize;
            var batch = new string[Math.Min(batchSize, order.Length - start)];
            for (int i = 0; i < batch.Length; i++)
            {
                batch[i] = texts[order[start + i]];
            }
            float[][] encoded = await EncodeBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < batch.Length; i++)
            {
                vectors[order[start + i]] = encoded[i];
            }
            BatchCompleted?.Invoke(batchIndex);
        }
    }

    private async Task<float[][]> EncodeBatchAsync(string[] batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return await Task.Run(() => EncodeBatch(batch, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private float[][] EncodeBatch(string[] batch, CancellationToken cancellationToken)
    {
        float[][] vectors;
        try
        {
            vectors = _encoder.Value.Encode(batch, cancellationToken);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // The package stops a running batch through RunOptions.Terminate; ONNX Runtime reports
            // that as a runtime error, which callers should see as the cancellation it is.
            throw new OperationCanceledException(cancellationToken);
        }
        if (vectors.Length != batch.Length)
        {
            throw new InvalidOperationException($"the encoder returned {vectors.Length} vectors for {batch.Length} texts");
        }
        foreach (float[] vector in vectors)
        {
            if (vector.Length != Dimensions)
            {
                throw new InvalidOperationException($"the encoder returned {vector.Length} dimensions, not {Dimensions}");
            }
            // The package normalises in float; again in double so |v| is 1 to float precision.
            EmbeddingMath.NormalizeInPlace(vector);
        }
        return vectors;
    }

    /// <summary>Positions ordered by text length (stable), so each batch pads to a similar length.</summary>
    private static int[] ShortestFirst(string[] texts)
    {
        int[] order = new int[texts.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (x, y) => texts[x].Length != texts[y].Length ? texts[x].Length.CompareTo(texts[y].Length) : x.CompareTo(y));
        return order;
    }

    /// <summary>Hands out batch indices 0, 1, 2, ... to the workers of one call.</summary>
    private sealed class BatchCursor(int count)
    {
        private int _next = -1;

        public bool TryTake(out int index)
        {
            index = Interlocked.Increment(ref _next);
            return index < count;
        }
    }
}
