-- RnnLab cluster membership on PostgreSQL.
-- Orleans' ADO.NET clustering provider (10.4.2) loads its statements at start-up from OrleansQuery by key and runs
-- them with named parameters (@DeploymentId is the cluster id; a silo is keyed by @Address, @Port, @Generation).
-- Membership rows live in rnnlab_cluster_member; rnnlab_cluster_version holds the table version that every
-- membership change must match and bump, which is how concurrent writers detect that their view is stale.
-- Every statement here is idempotent, so the script may run again on an existing database.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text        NOT NULL
);

CREATE TABLE IF NOT EXISTS rnnlab_cluster_version
(
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS rnnlab_cluster_member
(
    deployment_id   text        NOT NULL REFERENCES rnnlab_cluster_version (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    -- "silo,time|silo,time" exactly as the provider formats the suspicion votes; it parses them back itself.
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO rnnlab_cluster_version (deployment_id) VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM created)
$q$),

-- The version row is locked by the UPDATE, so of two writers holding the same version only the first succeeds.
('InsertMembershipKey', $q$
    WITH bumped AS (
        UPDATE rnnlab_cluster_version
        SET version = version + 1, changed_at = now()
        WHERE deployment_id = @DeploymentId AND version = @Version
          AND NOT EXISTS (SELECT 1 FROM rnnlab_cluster_member
                          WHERE deployment_id = @DeploymentId AND address = @Address
                            AND port = @Port AND generation = @Generation)
        RETURNING deployment_id),
    added AS (
        INSERT INTO rnnlab_cluster_member (deployment_id, address, port, generation, silo_name, host_name, status,
                                           proxy_port, start_time, i_am_alive_time)
        SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
               @StartTime, @IAmAliveTime
        FROM bumped
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM added)
$q$),

('UpdateMembershipKey', $q$
    WITH bumped AS (
        UPDATE rnnlab_cluster_version
        SET version = version + 1, changed_at = now()
        WHERE deployment_id = @DeploymentId AND version = @Version
          AND EXISTS (SELECT 1 FROM rnnlab_cluster_member
                      WHERE deployment_id = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
        RETURNING deployment_id),
    changed AS (
        UPDATE rnnlab_cluster_member AS m
        SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
        FROM bumped AS b
        WHERE m.deployment_id = b.deployment_id AND m.address = @Address
          AND m.port = @Port AND m.generation = @Generation
        RETURNING 1)
    SELECT EXISTS (SELECT 1 FROM changed)
$q$),

-- Heartbeats do not change the membership, so they leave the version alone.
('UpdateIAmAlivetimeKey', $q$
    UPDATE rnnlab_cluster_member
    SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- The version row comes back even when no silo matches: the provider takes the table version from the first row.
('MembershipReadRowKey', $q$
    SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
    FROM rnnlab_cluster_version AS v
    LEFT JOIN rnnlab_cluster_member AS m
           ON m.deployment_id = v.deployment_id AND m.address = @Address
          AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
    SELECT v.version AS Version, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
    FROM rnnlab_cluster_version AS v
    LEFT JOIN rnnlab_cluster_member AS m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId
$q$),

-- @Status is the provider's "Active"; a silo without a gateway endpoint has proxy port 0.
('GatewaysQueryKey', $q$
    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
    FROM rnnlab_cluster_member
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM rnnlab_cluster_version WHERE deployment_id = @DeploymentId
$q$),

-- Status 6 is Dead: only silos declared dead and silent since @IAmAliveTime are removed.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM rnnlab_cluster_member
    WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime
$q$),

-- Removes one dead silo only if its row is still exactly as the caller read it, so a concurrent change wins.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM rnnlab_cluster_member
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
      AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
