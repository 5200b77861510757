using Npgsql;

namespace RoseForest.Cluster.Catalog;

/// <summary>
/// The cluster's tables in PostgreSQL (schema <c>roseforest</c>): the catalogue (nodes,
/// collections, shards, replica assignments, transfers, snapshot manifests) and one log table per
/// shard (<c>log_&lt;shard id&gt;</c>). Created idempotently by the first node that connects; an
/// advisory transaction lock keeps two nodes from creating it at once.
/// </summary>
internal static class Schema
{
    /// <summary>The advisory lock key the controller holds on its session ("rfctl").</summary>
    public const long ControllerLockKey = 0x7266_6374_6CL;

    /// <summary>Channel of log appends: payload <c>shard:seq</c>.</summary>
    public const string LogChannel = "roseforest_log";

    /// <summary>Channel of catalogue changes (no payload needed: listeners re-read).</summary>
    public const string CatalogChannel = "roseforest_catalog";

    private const long SchemaLockKey = 0x7266_7363_6DL;

    private const string Ddl = """
        CREATE SCHEMA IF NOT EXISTS roseforest;
        CREATE TABLE IF NOT EXISTS roseforest.meta (key text PRIMARY KEY, value text NOT NULL);
        INSERT INTO roseforest.meta VALUES ('cluster_id', gen_random_uuid()::text), ('schema_version', '1') ON CONFLICT DO NOTHING;
        CREATE TABLE IF NOT EXISTS roseforest.nodes (
            id bigserial PRIMARY KEY,
            url text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS roseforest.collections (
            id bigserial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            config bytea NOT NULL,
            shard_number int NOT NULL,
            replication_factor int NOT NULL,
            write_consistency_factor int NOT NULL,
            sharding text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS roseforest.shards (
            id bigserial PRIMARY KEY,
            collection_id bigint NOT NULL REFERENCES roseforest.collections ON DELETE CASCADE,
            number int NOT NULL,
            shard_key text,
            replication_factor int NOT NULL,
            last_seq bigint NOT NULL DEFAULT 0,
            truncated_seq bigint NOT NULL DEFAULT 0,
            UNIQUE (collection_id, number));
        CREATE TABLE IF NOT EXISTS roseforest.replicas (
            shard_id bigint NOT NULL REFERENCES roseforest.shards ON DELETE CASCADE,
            node_id bigint NOT NULL REFERENCES roseforest.nodes ON DELETE CASCADE,
            state text NOT NULL CHECK (state IN ('active', 'partial', 'dead')),
            epoch bigint NOT NULL,
            state_since timestamptz NOT NULL DEFAULT now(),
            applied_seq bigint NOT NULL DEFAULT -1,
            reported_at timestamptz,
            PRIMARY KEY (shard_id, node_id));
        CREATE TABLE IF NOT EXISTS roseforest.transfers (
            id bigserial PRIMARY KEY,
            shard_id bigint NOT NULL REFERENCES roseforest.shards ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ('move', 'replicate', 'drop')),
            from_node bigint,
            to_node bigint,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS roseforest.snapshots (
            id bigserial PRIMARY KEY,
            shard_id bigint NOT NULL REFERENCES roseforest.shards ON DELETE CASCADE,
            node_id bigint NOT NULL,
            seq bigint NOT NULL,
            name text NOT NULL,
            checksum text NOT NULL,
            size bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE IF NOT EXISTS roseforest.aliases (
            name text PRIMARY KEY,
            collection_id bigint NOT NULL REFERENCES roseforest.collections ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS roseforest.payload_indexes (
            collection_id bigint NOT NULL REFERENCES roseforest.collections ON DELETE CASCADE,
            field_name text NOT NULL,
            schema bytea NOT NULL,
            PRIMARY KEY (collection_id, field_name));
        ALTER TABLE roseforest.collections ADD COLUMN IF NOT EXISTS centroids bytea;
        CREATE SEQUENCE IF NOT EXISTS roseforest.operation_ids;
        CREATE SEQUENCE IF NOT EXISTS roseforest.replica_epochs;

        -- One write, one transaction, one round trip: lock the shards' rows in id order (so two
        -- multi-shard writes cannot deadlock), return the stored sequences when the idempotency
        -- key was seen, else advance each shard's sequence and insert the record. The row lock is
        -- held until commit, so sequence order is commit order: a reader that sees seq n has
        -- seen every record before it.
        CREATE OR REPLACE FUNCTION roseforest.append_ops(p_shards bigint[], p_kinds smallint[], p_ops bytea[], p_key text)
        RETURNS TABLE (r_op bigint, r_shard bigint, r_seq bigint) LANGUAGE plpgsql AS $fn$
        DECLARE
            v_op bigint;
            v_seq bigint;
            v_found bigint;
            v_locked int;
        BEGIN
            SELECT count(*) INTO v_locked FROM (SELECT s.id FROM roseforest.shards s WHERE s.id = ANY(p_shards) ORDER BY s.id FOR UPDATE) l;
            IF v_locked <> (SELECT count(DISTINCT x) FROM unnest(p_shards) x) THEN
                RAISE EXCEPTION 'a shard of this write no longer exists' USING ERRCODE = 'P0002';
            END IF;
            IF p_key IS NOT NULL THEN
                EXECUTE format('SELECT op_id FROM roseforest.%I WHERE idem_key = $1', 'log_' || p_shards[1]) INTO v_found USING p_key;
                IF v_found IS NOT NULL THEN
                    FOR i IN 1 .. cardinality(p_shards) LOOP
                        EXECUTE format('SELECT seq FROM roseforest.%I WHERE idem_key = $1', 'log_' || p_shards[i]) INTO v_seq
                            USING CASE WHEN p_shards[i] = ANY(p_shards[1:i-1]) THEN p_key || '#r' || i ELSE p_key END;
                        r_op := v_found; r_shard := p_shards[i]; r_seq := v_seq;
                        RETURN NEXT;
                    END LOOP;
                    RETURN;
                END IF;
            END IF;
            v_op := nextval('roseforest.operation_ids');
            FOR i IN 1 .. cardinality(p_shards) LOOP
                UPDATE roseforest.shards s SET last_seq = s.last_seq + 1 WHERE s.id = p_shards[i] RETURNING s.last_seq INTO v_seq;
                -- A second record for the same shard (locality sharding's upsert plus the delete of
                -- ids that moved away) keeps the key unique within the shard's log.
                EXECUTE format('INSERT INTO roseforest.%I (seq, op_id, idem_key, kind, op) VALUES ($1, $2, $3, $4, $5)', 'log_' || p_shards[i])
                    USING v_seq, v_op, CASE WHEN p_shards[i] = ANY(p_shards[1:i-1]) THEN p_key || '#r' || i ELSE p_key END, p_kinds[i], p_ops[i];
                PERFORM pg_notify('roseforest_log', p_shards[i] || ':' || v_seq);
                r_op := v_op; r_shard := p_shards[i]; r_seq := v_seq;
                RETURN NEXT;
            END LOOP;
        END
        $fn$;
        """;

    /// <summary>The DDL of one shard's log table.</summary>
    public static string LogTableDdl(long shardId) => $"""
        CREATE TABLE roseforest.log_{shardId} (
            seq bigint PRIMARY KEY,
            op_id bigint NOT NULL,
            idem_key text UNIQUE,
            kind smallint NOT NULL,
            op bytea NOT NULL,
            committed_at timestamptz NOT NULL DEFAULT now());
        """;

    /// <summary>Creates the schema if it is missing.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", connection, tx))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var ddl = new NpgsqlCommand(Ddl, connection, tx))
        {
            await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
