-- Simulated flights (EdgeGateway.Simulator --samples-out, 1 Hz per engine) for the anomaly model.
-- One group per engine and flight; stale (empty) cells are carried forward from the last value the
-- bus delivered, as the gateway's gap handling does, and leading gaps take the first delivered value.
-- The simulator's true_* columns (physical state) are not selected: they never reach training.
-- @param flights folder of samples CSVs written by models/anomaly/generate-flights.sh
-- @time time_s
-- @group engine_key
-- @label anomaly
-- @channels N1,N2,EGT,FuelFlow,OilPressure,OilTemperature,OilQuantity,N1Vibration,N2Vibration
WITH raw AS (
    SELECT flight, engine, serial, phase, time_s, N1, N2, EGT, FuelFlow, OilPressure, OilTemperature,
           OilQuantity, N1Vibration, N2Vibration, turbulence, fault, anomaly
    FROM read_csv('{{flights}}/*.csv', header = true, union_by_name = true)
)
SELECT
    flight || '-E' || CAST(engine AS VARCHAR) AS engine_key,
    flight, engine, serial, phase, time_s,
    coalesce(last_value(N1 IGNORE NULLS) OVER past, first_value(N1 IGNORE NULLS) OVER whole) AS N1,
    coalesce(last_value(N2 IGNORE NULLS) OVER past, first_value(N2 IGNORE NULLS) OVER whole) AS N2,
    coalesce(last_value(EGT IGNORE NULLS) OVER past, first_value(EGT IGNORE NULLS) OVER whole) AS EGT,
    coalesce(last_value(FuelFlow IGNORE NULLS) OVER past, first_value(FuelFlow IGNORE NULLS) OVER whole) AS FuelFlow,
    coalesce(last_value(OilPressure IGNORE NULLS) OVER past, first_value(OilPressure IGNORE NULLS) OVER whole) AS OilPressure,
    coalesce(last_value(OilTemperature IGNORE NULLS) OVER past, first_value(OilTemperature IGNORE NULLS) OVER whole) AS OilTemperature,
    coalesce(last_value(OilQuantity IGNORE NULLS) OVER past, first_value(OilQuantity IGNORE NULLS) OVER whole) AS OilQuantity,
    coalesce(last_value(N1Vibration IGNORE NULLS) OVER past, first_value(N1Vibration IGNORE NULLS) OVER whole) AS N1Vibration,
    coalesce(last_value(N2Vibration IGNORE NULLS) OVER past, first_value(N2Vibration IGNORE NULLS) OVER whole) AS N2Vibration,
    turbulence, fault, anomaly
FROM raw
WINDOW past AS (PARTITION BY flight, engine ORDER BY time_s ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       whole AS (PARTITION BY flight, engine ORDER BY time_s ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
ORDER BY flight, engine, time_s;
