-- C-MAPSS test trajectories (FD001 + FD003), cut off before failure, with the true RUL of every
-- row derived from RUL_FD00x.txt (true RUL after the last cycle of each unit, one line per unit).
-- Data: NASA Ames Prognostics Center of Excellence, C-MAPSS; cite A. Saxena, K. Goebel, D. Simon,
-- N. Eklund, "Damage Propagation Modeling for Aircraft Engine Run-to-Failure Simulation", PHM 2008.
-- @param cmapss folder holding test_FD00x.txt and RUL_FD00x.txt
-- @param meta   subsets.csv (subset, fault_modes, operating_conditions, source)
-- @time cycle
-- @group unit_key
-- @settings setting1,setting2,setting3
-- @channels s2,s3,s4,s7,s8,s9,s11,s12,s13,s14,s15,s17,s20,s21
WITH lines AS (
    SELECT 'FD001' AS subset, unnest(string_split(content, chr(10))) AS line
    FROM read_text('{{cmapss}}/test_FD001.txt')
    UNION ALL
    SELECT 'FD003' AS subset, unnest(string_split(content, chr(10))) AS line
    FROM read_text('{{cmapss}}/test_FD003.txt')
),
fields AS (
    SELECT subset, regexp_split_to_array(trim(line), '\s+') AS f FROM lines WHERE trim(line) <> ''
),
rul_lists AS (
    SELECT 'FD001' AS subset, list_filter(string_split(content, chr(10)), x -> trim(x) <> '') AS l FROM read_text('{{cmapss}}/RUL_FD001.txt')
    UNION ALL
    SELECT 'FD003' AS subset, list_filter(string_split(content, chr(10)), x -> trim(x) <> '') AS l FROM read_text('{{cmapss}}/RUL_FD003.txt')
),
rul_end AS (
    SELECT subset, CAST(i AS INTEGER) AS unit, CAST(trim(l[i]) AS INTEGER) AS rul_after_last
    FROM rul_lists, generate_series(1, len(l)) AS t(i)
),
rows AS (
    SELECT
        fields.subset,
        CAST(f[1] AS INTEGER) AS unit,
        CAST(f[2] AS INTEGER) AS cycle,
        CAST(f[3] AS DOUBLE) AS setting1, CAST(f[4] AS DOUBLE) AS setting2, CAST(f[5] AS DOUBLE) AS setting3,
        CAST(f[6] AS DOUBLE) AS s1, CAST(f[7] AS DOUBLE) AS s2, CAST(f[8] AS DOUBLE) AS s3,
        CAST(f[9] AS DOUBLE) AS s4, CAST(f[10] AS DOUBLE) AS s5, CAST(f[11] AS DOUBLE) AS s6,
        CAST(f[12] AS DOUBLE) AS s7, CAST(f[13] AS DOUBLE) AS s8, CAST(f[14] AS DOUBLE) AS s9,
        CAST(f[15] AS DOUBLE) AS s10, CAST(f[16] AS DOUBLE) AS s11, CAST(f[17] AS DOUBLE) AS s12,
        CAST(f[18] AS DOUBLE) AS s13, CAST(f[19] AS DOUBLE) AS s14, CAST(f[20] AS DOUBLE) AS s15,
        CAST(f[21] AS DOUBLE) AS s16, CAST(f[22] AS DOUBLE) AS s17, CAST(f[23] AS DOUBLE) AS s18,
        CAST(f[24] AS DOUBLE) AS s19, CAST(f[25] AS DOUBLE) AS s20, CAST(f[26] AS DOUBLE) AS s21
    FROM fields
)
SELECT
    rows.subset,
    m.fault_modes,
    rows.subset || '-' || lpad(CAST(rows.unit AS VARCHAR), 3, '0') AS unit_key,
    rows.*  EXCLUDE (subset),
    r.rul_after_last + MAX(rows.cycle) OVER (PARTITION BY rows.subset, rows.unit) - rows.cycle AS true_rul
FROM rows
JOIN rul_end AS r ON r.subset = rows.subset AND r.unit = rows.unit
JOIN read_csv('{{meta}}', header = true) AS m ON m.subset = rows.subset
ORDER BY rows.subset, rows.unit, rows.cycle;
