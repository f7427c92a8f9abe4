-- sobrepoblacion (IND.01.OEI.01): (poblacion − capacidad) / capacidad × 100, sobre los EP, en D.
-- Numerador: poblacion − capacidad; denominador: capacidad. Una oficina o la nación suman ambos
-- (nunca promedian porcentajes).
SELECT fecha, codigo, '' AS sexo,
       sum(abiertas) - any_value(capacidad) AS numerador,
       any_value(capacidad) AS denominador
FROM ocupacion
WHERE tipo = 'EP'
GROUP BY fecha, codigo
