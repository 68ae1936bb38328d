-- Simulated flights for the anomaly model, as the gateway sees them: the 1 Hz grid per engine that
-- `edgegateway replay --conditioned-out` writes (the gateway's own decoding, Hampel and resampling;
-- an empty cell is a gap and a window holding one is never scored), joined with the simulator's
-- ground truth: the capture's labels file gives the adapter clock's offset, the samples CSV the
-- per-second labels (phase, turbulence, fault kind, anomaly). The simulator's true_* columns
-- (physical state) are not selected: they never reach training. `N1@other`, `EGT@other`, `N2@other`,
-- `OilQuantity@other`, `OilTemperature@other` and `FuelFlow@other` are the aircraft's other engine (3 - engine) at the
-- same grid second, as the gateway feeds them into each engine's window (companion inputs: no
-- features of their own, only the engine-to-engine splits); a second the other engine lacks is a gap.
-- @param flights folder written by models/anomaly/generate-flights.sh
-- @time time_s
-- @group engine_key
-- @label anomaly
-- @gaps skip
-- @channels N1,N2,EGT,FuelFlow,OilPressure,OilTemperature,OilQuantity,N1Vibration,N2Vibration,N1@other,EGT@other,N2@other,OilQuantity@other,OilTemperature@other,FuelFlow@other
WITH grid AS (
    SELECT regexp_extract(filename, '([^/]+)\.conditioned\.csv$', 1) AS file, *
    FROM read_csv('{{flights}}/*.conditioned.csv', header = true, filename = true,
                  types = {'time_s': 'DOUBLE', 'engine': 'INTEGER'})
),
clock AS (
    SELECT regexp_extract(filename, '([^/]+)\.cap\.labels\.json$', 1) AS file,
           timestampOffsetMicros / 1e6 AS offset_s
    FROM read_json('{{flights}}/*.cap.labels.json', filename = true)
),
truth AS (
    SELECT regexp_extract(filename, '([^/]+)\.samples\.csv$', 1) AS file,
           flight, engine, serial, phase, time_s, turbulence, fault, anomaly
    FROM read_csv('{{flights}}/*.samples.csv', header = true, filename = true)
)
SELECT
    truth.flight || '-E' || CAST(grid.engine AS VARCHAR) AS engine_key,
    truth.flight, grid.engine, truth.serial, truth.phase, truth.time_s,
    grid.N1, grid.N2, grid.EGT, grid.FuelFlow, grid.OilPressure, grid.OilTemperature,
    grid.OilQuantity, grid.N1Vibration, grid.N2Vibration,
    other.N1 AS "N1@other", other.EGT AS "EGT@other", other.N2 AS "N2@other", other.OilQuantity AS "OilQuantity@other",
    other.OilTemperature AS "OilTemperature@other", other.FuelFlow AS "FuelFlow@other",
    truth.turbulence, truth.fault, truth.anomaly
FROM grid
LEFT JOIN grid AS other ON other.file = grid.file AND other.time_s = grid.time_s AND other.engine = 3 - grid.engine
JOIN clock ON clock.file = grid.file
JOIN truth ON truth.file = grid.file AND truth.engine = grid.engine AND truth.time_s + clock.offset_s = grid.time_s
ORDER BY truth.flight, grid.engine, truth.time_s;
