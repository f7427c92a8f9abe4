-- Estancias abiertas en cada fecha D, por establecimiento y sexo: en total y sin sentencia.
--
-- Definición: una estancia está abierta en D si ingreso <= D y (egreso vacío o egreso > D). Está
-- abierta sin sentencia si, además, no tiene fecha_sentencia <= D. El importador garantiza que una
-- persona nunca tiene dos estancias abiertas el mismo día: contar estancias abiertas es contar personas.
--
-- Cálculo: en vez de cruzar cada estancia con cada fecha, se anotan movimientos. Cada estancia suma 1
-- el día de su ingreso y resta 1 el día de su egreso; el saldo acumulado de un establecimiento hasta D
-- es el número de estancias abiertas en D. Para «sin sentencia», la estancia resta 1 el día en que deja
-- de estarlo: el primero entre su egreso y su fecha de sentencia, y nunca antes de su ingreso (una
-- sentencia anterior al ingreso, la de un traslado o una recaptura, hace que no cuente nunca). Los
-- movimientos se suman por la primera fecha pedida que los incluye (calendario.sql).
--
-- Entradas: estancias, vigencia (vigencia.sql), calendario. Salida: una fila por fecha, establecimiento
-- vigente y sexo.
WITH movimientos AS (
    SELECT establecimiento, sexo, ingreso AS dia, 1 AS abiertas, 1 AS sin_sentencia
    FROM estancias
    UNION ALL
    SELECT establecimiento, sexo, egreso, -1, 0
    FROM estancias WHERE egreso IS NOT NULL
    UNION ALL
    SELECT establecimiento, sexo, greatest(ingreso, least(egreso, fecha_sentencia)), 0, -1
    FROM estancias WHERE egreso IS NOT NULL OR fecha_sentencia IS NOT NULL
), saldos AS (
    SELECT m.establecimiento, m.sexo, c.fecha,
           sum(sum(m.abiertas)) OVER acumulado AS abiertas,
           sum(sum(m.sin_sentencia)) OVER acumulado AS sin_sentencia
    FROM movimientos m JOIN calendario c ON c.dia = m.dia
    GROUP BY m.establecimiento, m.sexo, c.fecha
    WINDOW acumulado AS (PARTITION BY m.establecimiento, m.sexo ORDER BY c.fecha)
)
SELECT v.fecha, v.codigo, v.tipo, v.capacidad, v.area_m2, s.sexo,
       coalesce(o.abiertas, 0) AS abiertas, coalesce(o.sin_sentencia, 0) AS sin_sentencia
FROM vigencia v
CROSS JOIN (VALUES ('M'), ('F')) s(sexo)
ASOF LEFT JOIN saldos o ON o.establecimiento = v.codigo AND o.sexo = s.sexo AND o.fecha <= v.fecha
