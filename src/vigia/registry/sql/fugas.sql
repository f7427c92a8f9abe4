-- fugas (IND.03.OEI.01): estancias en un EP terminadas por fuga (motivo_egreso = 'fuga') con egreso
-- desde el 1 de enero del año de D hasta D, inclusive.
SELECT v.fecha, v.codigo, '' AS sexo, count(e.establecimiento) AS numerador, NULL AS denominador
FROM vigencia v
LEFT JOIN estancias e
       ON e.establecimiento = v.codigo
      AND e.motivo_egreso = 'fuga'
      AND e.egreso BETWEEN make_date(year(v.fecha), 1, 1) AND v.fecha
WHERE v.tipo = 'EP'
GROUP BY v.fecha, v.codigo
