-- Agregación hacia arriba: la oficina regional suma los numeradores y denominadores de sus
-- establecimientos y la nación los de todos (nunca se promedian porcentajes); el total de ambos sexos
-- suma los de cada sexo. El valor de una razón es numerador × factor / denominador (factor 100 para
-- porcentajes), vacío si el denominador es 0; el de un conteo es la suma misma.
--
-- Entradas: cifras (una fila por medida, fecha, establecimiento y sexo, de los archivos de cada medida),
-- cifras_nacionales (medidas que solo existen para la nación), vigencia, medidas (orden, factor y desglose).
WITH sumas AS (
    SELECT c.medida, c.fecha,
           CASE WHEN grouping(v.oficina_regional) = 1 THEN 'nation'
                WHEN grouping(c.codigo) = 1 THEN 'office' ELSE 'establishment' END AS scope,
           CASE WHEN grouping(v.oficina_regional) = 1 THEN 'PE'
                WHEN grouping(c.codigo) = 1 THEN v.oficina_regional ELSE c.codigo END AS code,
           CASE WHEN grouping(v.oficina_regional) = 1 THEN ''
                WHEN grouping(c.codigo) = 1 THEN 'PE' ELSE v.oficina_regional END AS parent,
           CASE WHEN grouping(c.sexo) = 1 THEN '' ELSE c.sexo END AS sex,
           grouping(c.sexo) = 1 AS ambos,
           sum(c.numerador) AS numerador, sum(c.denominador) AS denominador
    FROM cifras c JOIN vigencia v ON v.fecha = c.fecha AND v.codigo = c.codigo
    GROUP BY GROUPING SETS (
        (c.medida, c.fecha, v.oficina_regional, c.codigo, c.sexo), (c.medida, c.fecha, v.oficina_regional, c.codigo),
        (c.medida, c.fecha, v.oficina_regional, c.sexo), (c.medida, c.fecha, v.oficina_regional),
        (c.medida, c.fecha, c.sexo), (c.medida, c.fecha))
    UNION ALL
    SELECT medida, fecha, 'nation', 'PE', '', CASE WHEN grouping(sexo) = 1 THEN '' ELSE sexo END, grouping(sexo) = 1,
           sum(numerador), sum(denominador)
    FROM cifras_nacionales
    GROUP BY GROUPING SETS ((medida, fecha, sexo), (medida, fecha))
)
SELECT s.medida AS measure, s.fecha AS date, s.scope, s.code, s.sex,
       CAST(CASE WHEN NOT m.razon THEN s.numerador
                 WHEN s.denominador <> 0 THEN s.numerador * m.factor / s.denominador END AS DOUBLE) AS value,
       CAST(CASE WHEN m.razon THEN s.numerador END AS DOUBLE) AS numerator,
       CAST(CASE WHEN m.razon THEN s.denominador END AS DOUBLE) AS denominator,
       s.parent
FROM sumas s JOIN medidas m ON m.medida = s.medida
-- sin desglose por sexo, cada establecimiento trae sexo '': queda solo la fila de ambos sexos
WHERE s.ambos OR (m.por_sexo AND s.sex IN ('M', 'F'))
ORDER BY m.orden, s.fecha, list_position(['nation', 'office', 'establishment'], s.scope), s.code, s.sex
