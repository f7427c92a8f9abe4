-- reingreso_5a (IND.02.OEI.01): de las personas sentenciadas liberadas de un EP en los últimos cinco
-- años, porcentaje que en el año de D está de vuelta en un EP con sentencia. Nacional, por sexo.
--
-- Denominador: personas distintas con una estancia en un EP terminada por «libertad», sentenciadas al
-- salir (fecha_sentencia <= egreso), con egreso desde el 1 de enero de cuatro años antes del año de D
-- hasta D (para D = 31/12/2024: del 01/01/2020 al 31/12/2024).
-- Numerador: las de ellas con una estancia posterior en un EP (ingreso estrictamente posterior a esa
-- liberación) con fecha_sentencia <= D, abierta al menos un día entre el 1 de enero del año de D y D.
--
-- Solo para fechas cuyo periodo de cinco años cabe en el extracto (su inicio no es posterior al 1 de
-- enero de cuatro años antes del año de D): con menos historia el denominador quedaría corto.
--
-- Cálculo. Para las fechas D de un año A, de cada persona basta su primera liberación desde el 1 de
-- enero de A − 4 («primera»): está en el denominador de D si primera <= D. Está en el numerador desde
-- el día («vuelta») en que ingresa con sentencia, después de esa primera liberación, a una estancia
-- en EP abierta algún día del año A: el mayor entre ingreso y fecha_sentencia de esa estancia (que
-- esté abierta algún día del año no depende de D). Contar, para cada D, las personas con primera <= D
-- y con vuelta <= D es un saldo acumulado, como en ocupacion.sql.
WITH estancias_ep AS (
    SELECT * FROM estancias
    WHERE establecimiento IN (SELECT codigo FROM establecimientos WHERE tipo = 'EP')
), anios AS (
    SELECT DISTINCT year(fecha) AS anio FROM fechas
    WHERE make_date(year(fecha) - 4, 1, 1) >= (SELECT inicio FROM extracto)
), liberaciones AS (
    SELECT persona, sexo, egreso AS liberada FROM estancias_ep
    WHERE motivo_egreso = 'libertad' AND fecha_sentencia <= egreso
), primeras AS (
    SELECT a.anio, l.persona, any_value(l.sexo) AS sexo, min(l.liberada) AS primera
    FROM anios a JOIN liberaciones l ON l.liberada BETWEEN make_date(a.anio - 4, 1, 1) AND make_date(a.anio, 12, 31)
    GROUP BY a.anio, l.persona
), vueltas AS (
    SELECT p.anio, p.persona, any_value(p.sexo) AS sexo, min(greatest(t.ingreso, t.fecha_sentencia)) AS vuelta
    FROM primeras p
    JOIN estancias_ep t
      ON t.persona = p.persona AND t.ingreso > p.primera AND t.fecha_sentencia IS NOT NULL
     AND (t.egreso IS NULL OR t.egreso > greatest(t.ingreso, make_date(p.anio, 1, 1)))
    GROUP BY p.anio, p.persona
), movimientos AS (
    SELECT anio, sexo, primera AS dia, 1 AS liberadas, 0 AS de_vuelta FROM primeras
    UNION ALL
    SELECT anio, sexo, vuelta, 0, 1 FROM vueltas
), saldos AS (
    SELECT m.anio, m.sexo, c.fecha,
           sum(sum(m.liberadas)) OVER acumulado AS liberadas,
           sum(sum(m.de_vuelta)) OVER acumulado AS de_vuelta
    FROM movimientos m JOIN calendario c ON c.dia = m.dia
    GROUP BY m.anio, m.sexo, c.fecha
    WINDOW acumulado AS (PARTITION BY m.anio, m.sexo ORDER BY c.fecha)
)
SELECT f.fecha, s.sexo, coalesce(o.de_vuelta, 0) AS numerador, coalesce(o.liberadas, 0) AS denominador
FROM fechas f
JOIN anios a ON a.anio = year(f.fecha)
CROSS JOIN (VALUES ('M'), ('F')) s(sexo)
ASOF LEFT JOIN saldos o ON o.anio = a.anio AND o.sexo = s.sexo AND o.fecha <= f.fecha
