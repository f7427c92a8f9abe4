-- hacinamiento: número de EP cuya sobrepoblación es estrictamente mayor que 20 % en D (umbral del
-- INPE, tomado del Comité Europeo para los Problemas Criminales). Cada EP vale 1 o 0; la oficina y la
-- nación cuentan sus EP.
-- (poblacion − capacidad) / capacidad > 20 % se evalúa como 100 × (poblacion − capacidad) > 20 × capacidad:
-- en números enteros, exacto en el umbral; un EP con capacidad 0 que aloja personas cuenta.
SELECT fecha, codigo, '' AS sexo,
       CASE WHEN 100 * (sum(abiertas) - any_value(capacidad)) > 20 * any_value(capacidad) THEN 1 ELSE 0 END AS numerador,
       NULL AS denominador
FROM ocupacion
WHERE tipo = 'EP'
GROUP BY fecha, codigo
